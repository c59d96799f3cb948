import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres-server';
import { loadRuntimeConfig } from '../../src/config/runtime';
import { MIGRATIONS, SCHEMA } from '../../src/store/postgres/migrations';
import { postgresStore } from '../../src/store/postgres/store';
import { maskStoreUrl } from '../../src/store/postgres/url';
import { storeContract } from '../helpers/store-contract';

let server: PostgresServer;
let url = '';
beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('contract');
  // The worker's start-up: migrations first.
  await (await postgresStore(url, { migrate: true })).close();
}, 60_000);
afterAll(async () => server?.stop());

storeContract('PostgreSQL', () => postgresStore(url));

describe('issue 11: PostgreSQL store set-up', () => {
  test('workers starting at once apply each migration once, one after the other', async () => {
    const fresh = await server.createDatabase('race');
    const stores = await Promise.all(Array.from({ length: 5 }, () => postgresStore(fresh, { migrate: true })));
    for (const store of stores) await store.close();
    const pool = new Pool({ connectionString: fresh });
    pool.on('error', () => undefined);
    try {
      const { rows } = await pool.query<{ version: number }>(
        `SELECT version FROM ${SCHEMA}.schema_migrations ORDER BY version`,
      );
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await pool.end();
    }
  });

  test('the store password never shows: masked where printed, not echoed by a bad setting', async () => {
    const password = new URL(server.url).password;
    expect(maskStoreUrl(url)).not.toContain(password);
    expect(maskStoreUrl(url)).toContain('pendoflow:***@127.0.0.1');
    const wrong = url.replace(password, `${password}x`);
    const err = (await postgresStore(wrong).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^PostgreSQL store postgres:\/\/pendoflow:\*\*\*@127\.0\.0\.1:\d+\/contract: /);
    expect(err.message).not.toContain(password);
    let bad: unknown;
    try {
      loadRuntimeConfig({ PENDOFLOW_STORE: `mysql://pendoflow:${password}@host/db` });
    } catch (e) {
      bad = e;
    }
    expect(String(bad)).toContain('PENDOFLOW_STORE: must be a postgres:// or postgresql:// URL');
    expect(String(bad)).not.toContain(password);
  });

  test('the CLI side (no migrations) names a database that no worker has set up yet', async () => {
    const empty = await server.createDatabase('empty');
    await expect(postgresStore(empty)).rejects.toThrow(/holds no pendoflow tables yet \(a worker creates them/);
  });
});

test("issue 11: the README's SQL queries run on the store's tables and answer what they say", async () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const [latest, tombstones] = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  expect(latest).toContain('demo/PageEvents');
  const store = await postgresStore(url);
  const pool = new Pool({ connectionString: url });
  pool.on('error', () => undefined);
  try {
    const hour = (h: number) => Date.parse('2026-11-24T00:00:00Z') + h * 3_600_000;
    const events = await store.collections.openPartition('demo/PageEvents', 'T');
    for (const [i, row] of [
      { hour: hour(0), pageId: 'home', visitorId: 'v1', numEvents: 2 },
      { hour: hour(1), pageId: 'home', visitorId: 'v1', numEvents: 3 },
      { hour: hour(1), pageId: 'home', visitorId: 'v2', numEvents: 4 },
      { hour: hour(0), pageId: 'cart', visitorId: 'v1', numEvents: 1 },
    ].entries())
      await events.write(row, String(i));
    await events.commit();
    const pages = await store.collections.openPartition('demo/Page', 'snapshot');
    await pages.write({ id: 'kept', _meta: { op: 'c', hash: 'h' } }, 'kept');
    await pages.write({ id: 'gone', _meta: { op: 'd', hash: 'deleted' } }, 'gone');
    await pages.commit();
    const byPage = (await pool.query<{ page: string; hour: Date; events: string }>(latest as string)).rows;
    expect(byPage.map((r) => [r.page, r.hour.getTime(), Number(r.events)])).toEqual([
      ['cart', hour(0), 1],
      ['home', hour(1), 7],
    ]);
    const deleted = (await pool.query<{ collection: string; id: string }>(tombstones as string)).rows;
    expect(deleted.filter((r) => r.collection === 'demo/Page').map((r) => r.id)).toEqual(['gone']);
  } finally {
    await pool.end();
    await store.close();
  }
});
