import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPendoEmulator, type RunningPendoEmulator } from '../../../emulators/pendo';
import { captureIncremental, lastStoredKey } from '../../../src/activities/capture/incremental';
import { PendoClient } from '../../../src/pendo/client';
import { incrementalBody, pathValue, type IncrementalSource } from '../../../src/pendo/incremental';
import { LocalCollections } from '../../../src/store/collections';

// After every seeded object's timestamps (they run to late 2024), as a real clock is.
const NOW = Date.UTC(2025, 5, 12, 15, 20);
const DAY = 86_400_000;
const LIMIT = 50;
type Row = Record<string, unknown>;

const VISITOR: IncrementalSource = {
  name: 'Visitor',
  source: 'visitors',
  cursorField: 'metadata.auto.lastupdated',
  idField: 'visitorId',
};
const ACCOUNT: IncrementalSource = { ...VISITOR, name: 'Account', source: 'accounts', idField: 'accountId' };
const TRACK_TYPE: IncrementalSource = {
  name: 'TrackType',
  source: 'trackTypes',
  cursorField: 'lastUpdatedAt',
  idField: 'id',
};

let clock = NOW;
let emu: RunningPendoEmulator;
let dir: string;
let collections: LocalCollections;
let client: PendoClient;
beforeAll(async () => {
  // Every visitor and account shares one lastupdated in each bulk sync: four times the page limit at one ms.
  emu = await startPendoEmulator({ seed: 5, now: () => clock, hotSpots: 'stress' });
  client = new PendoClient({ baseUrl: emu.url, integrationKey: emu.key, timeoutMs: 10_000 });
  dir = await mkdtemp(join(tmpdir(), 'pendoflow-incremental-'));
  collections = new LocalCollections(dir);
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

async function truth(source: string): Promise<Row[]> {
  const text = await (await fetch(`${emu.url}/_emulator/truth/${source}`)).text();
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
}

async function stored(target: string): Promise<Row[]> {
  const out: Row[] = [];
  for (const p of await collections.partitions(target))
    for await (const d of collections.readPartition(target, p)) out.push(d);
  return out;
}

/** The newest stored version of each object, keyed by id. */
function newest(def: IncrementalSource, docs: Row[]): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const doc of docs) {
    const id = String(doc[def.idField]);
    const seen = out.get(id);
    if (!seen || (pathValue(doc, def.cursorField) as number) >= (pathValue(seen, def.cursorField) as number))
      out.set(id, doc);
  }
  return out;
}

function largestTie(def: IncrementalSource, rows: Row[]): number {
  const counts = new Map<unknown, number>();
  for (const row of rows)
    counts.set(pathValue(row, def.cursorField), (counts.get(pathValue(row, def.cursorField)) ?? 0) + 1);
  return Math.max(...counts.values());
}

describe('issue 12: incremental resources page by a keyset on (updated-at, id)', () => {
  it('asks strictly after the last row on the pair, never >= on one field', () => {
    const body = incrementalBody(VISITOR, { startMs: 5, limit: 10, after: [7, 'a"b'] });
    const [, filter, sort] = body.request.pipeline;
    expect(filter).toEqual({
      filter:
        '(metadata.auto.lastupdated >= 5) && ((metadata.auto.lastupdated > 7) || ' +
        '(metadata.auto.lastupdated == 7 && visitorId > "a\\"b"))',
    });
    expect(sort).toEqual({ sort: ['metadata.auto.lastupdated', 'visitorId'] });
  });

  it('a reader paging with >= on updated-at alone gets the same page forever at a hot spot (the trap is real)', async () => {
    const rows = await truth('visitors');
    expect(largestTie(VISITOR, rows)).toBeGreaterThan(LIMIT);
    const hot = [...new Set(rows.map((r) => pathValue(r, VISITOR.cursorField)))].find(
      (t) => rows.filter((r) => pathValue(r, VISITOR.cursorField) === t).length > LIMIT,
    );
    const page = async (from: unknown) =>
      (
        (await (
          await fetch(`${emu.url}/api/v1/aggregation`, {
            method: 'POST',
            headers: { 'x-pendo-integration-key': emu.key, 'content-type': 'application/json' },
            body: JSON.stringify({
              response: { mimeType: 'application/json' },
              request: {
                pipeline: [
                  { source: { visitors: null } },
                  { filter: `metadata.auto.lastupdated >= ${String(from)}` },
                  { sort: ['metadata.auto.lastupdated'] },
                  { limit: LIMIT },
                ],
              },
            }),
          })
        ).json()) as { results: Row[] }
      ).results;
    const first = await page(hot);
    const next = await page(pathValue(first.at(-1) as Row, VISITOR.cursorField));
    expect(next).toEqual(first);
  });

  it.each([
    ['visitors', VISITOR, LIMIT],
    ['accounts', ACCOUNT, 7],
    ['trackType', TRACK_TYPE, 1],
  ])(
    '%s: every row is read once, more than limit rows at one timestamp too, and paging ends',
    async (source, def, limit) => {
      const target = `inc-${source}`;
      const want = await truth(source);
      if (def !== TRACK_TYPE) expect(largestTie(def, want)).toBeGreaterThan(limit);
      const input = { target, startMs: NOW - 400 * DAY, backfillLimit: limit, incrementalLimit: limit };
      const first = await captureIncremental(def, input, client, collections);
      const docs = await stored(target);
      expect(first.rows).toBe(docs.length);
      expect(first.pages).toBe(Math.floor(want.length / limit) + 1);
      const current = newest(def, docs);
      expect(current.size).toBe(want.length);
      for (const row of want) expect(current.get(String(row[def.idField]))).toEqual(row);

      // A day on, objects have changed: the next poll reads only the changes, after the stored cursor.
      clock = NOW + DAY;
      const before = await lastStoredKey(collections, def, target);
      const second = await captureIncremental(def, input, client, collections);
      const later = await truth(source);
      const changed = later.filter((row) => {
        const at = pathValue(row, def.cursorField) as number;
        return at > (before?.[0] ?? 0) || (at === before?.[0] && String(row[def.idField]) > (before?.[1] ?? ''));
      });
      expect(second.rows).toBe(changed.length);
      const after = newest(def, await stored(target));
      for (const row of later) expect(after.get(String(row[def.idField]))).toEqual(row);
      // Each version is one document: (updated-at, id) is never stored twice.
      const keys = (await stored(target)).map((d) => JSON.stringify([pathValue(d, def.cursorField), d[def.idField]]));
      expect(new Set(keys).size).toBe(keys.length);
      clock = NOW;
    },
  );
});
