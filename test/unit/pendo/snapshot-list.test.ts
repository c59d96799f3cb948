import { createHash } from 'node:crypto';
import { startPendoEmulator, type RunningPendoEmulator } from '../../../emulators/pendo';
import { LIST_HOLD_BYTES } from '../../../src/activities/capture/snapshot';
import { PendoClient } from '../../../src/pendo/client';
import { snapshotListPath } from '../../../src/pendo/requests';
import { REGISTRY, type Row } from '../../../src/resources';

let emu: RunningPendoEmulator;
let client: PendoClient;
beforeAll(async () => {
  emu = await startPendoEmulator({ seed: 3 });
  client = new PendoClient({ baseUrl: emu.url, integrationKey: emu.key, timeoutMs: 10_000 });
});
afterAll(() => emu.close());

async function raw(path: string): Promise<Buffer> {
  const res = await fetch(`${emu.url}${path}`, { headers: { 'x-pendo-integration-key': emu.key } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function all(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('issue 13: a snapshot list is digested when it is held whole', () => {
  it('gives a short list with the SHA-1 of its bytes, and the same objects as streaming it', async () => {
    const body = await raw(snapshotListPath(REGISTRY.Page));
    const list = await client.readSnapshotList(REGISTRY.Page, LIST_HOLD_BYTES);
    expect(list.digest).toBe(createHash('sha1').update(body).digest('base64url'));
    const rows = await all(list.rows);
    expect(rows).toEqual(JSON.parse(body.toString()));
    expect(rows.length).toBeGreaterThan(3);
    // Read again unchanged: the same digest, which is what lets a poll skip the parse.
    const again = await client.readSnapshotList(REGISTRY.Page, LIST_HOLD_BYTES);
    again.close();
    expect(again.digest).toBe(list.digest);
  });

  it('streams a list longer than it may hold, with no digest, and still every object', async () => {
    const body = await raw(snapshotListPath(REGISTRY.Feature));
    const hold = 100;
    expect(body.length).toBeGreaterThan(hold * 10);
    const list = await client.readSnapshotList(REGISTRY.Feature, hold);
    expect(list.digest).toBeUndefined();
    expect(await all(list.rows)).toEqual(JSON.parse(body.toString()));
  });

  it('digests a metadata schema, one object stored under its kind', async () => {
    const body = await raw(snapshotListPath(REGISTRY.AccountMetadata));
    const list = await client.readSnapshotList(REGISTRY.AccountMetadata, LIST_HOLD_BYTES);
    expect(list.digest).toBe(createHash('sha1').update(body).digest('base64url'));
    expect(await all(list.rows)).toEqual([{ id: 'account', ...(JSON.parse(body.toString()) as Row) }]);
  });
});
