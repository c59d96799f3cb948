import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureEventWindow } from '../../../src/activities/capture/event-window';
import { isSharpShrink, judgeReread } from '../../../src/activities/capture/shrink-guard';
import { captureSnapshot } from '../../../src/activities/capture/snapshot';
import { PendoError } from '../../../src/pendo/errors';
import type { Row } from '../../../src/resources';
import type { AggregationBody } from '../../../src/pendo/requests';
import type { CaptureLimits } from '../../../src/workflows/capture/types';
import { LocalCollections } from '../../../src/store/collections';
import { listSource } from '../../helpers/snapshot-lists';

const H = 3_600_000;
const T = Date.parse('2026-11-24T00:00:00Z');
const limits: CaptureLimits = { incrementalLimit: 3, backfillLimit: 3, windowHours: 24, requestTimeoutMs: 1000 };
const endpoint = { accessToken: 'env:UNUSED' };

let root: string;
let collections: LocalCollections;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pendoflow-shrink-'));
  collections = new LocalCollections(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function all(target: string): Promise<Row[]> {
  const out: Row[] = [];
  for await (const line of collections.lines(target)) out.push(JSON.parse(line) as Row);
  return out;
}
const strayTemps = async (target: string) =>
  (await readdir(join(root, ...target.split('/')))).filter((f) => f.endsWith('.tmp'));

describe('issue 8 finding 6: the shrink rule', () => {
  it.each([
    [0, 0, 0.5, false],
    [0, 10, 0.5, false],
    [10, 0, 0.5, true],
    [10, 5, 0.5, false],
    [10, 4, 0.5, true],
    [10, 12, 0.5, false],
    [10, 9, 0, true],
    [10, 1, 1, false],
    [10, 0, 1, true],
  ])('stored %d, read %d, guard %d: sharp %s', (stored, read, guard, sharp) => {
    expect(isSharpShrink(stored, read, guard)).toBe(sharp);
  });

  it.each([
    [100, 0, 0, 'confirmed'],
    [100, 10, 10, 'confirmed'],
    [100, 0, 100, 'reread'],
    [100, 10, 60, 'reread'],
    [100, 0, 10, 'retry'],
    [100, 30, 20, 'retry'],
  ])('stored %d, read %d then %d: %s', (stored, first, second, verdict) => {
    expect(judgeReread(stored, first, second, 0.5)).toBe(verdict);
  });
});

const row = (hour: number, pageId: string, extra: Row = {}): Row => ({
  hour,
  pageId,
  appId: 1,
  visitorId: 'v',
  accountId: 'a',
  remoteIp: 'i',
  server: 's',
  userAgent: 'u',
  numEvents: 1,
  ...extra,
});

/**
 * An aggregation source that honours the hours, limit and keyset, and whose answers a test can replace by call
 * number: `empty` answers `"results": []`, a number cuts the page to that many rows.
 */
function source(rows: () => Row[], wrong: Record<number, 'empty' | number> = {}) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async *aggregateBatches(body: AggregationBody): AsyncGenerator<Row[]> {
      const fault = wrong[++calls];
      const limit = (body.request.pipeline.find((s) => 'limit' in s) as { limit: number }).limit;
      const filter = (body.request.pipeline.find((s) => 'filter' in s) as { filter: string } | undefined)?.filter;
      const after = filter ? Number(/hour > (\d+)\)/.exec(filter)?.[1]) : -Infinity;
      const afterId = filter ? (/pageId > "(\w+)"/.exec(filter)?.[1] ?? '') : '';
      const ts = (body.request.pipeline[0] as { source: { timeSeries: { first: string; last: string } } }).source
        .timeSeries;
      const page = rows()
        .filter((r) => (r.hour as number) >= Number(ts.first) && (r.hour as number) <= Number(ts.last))
        .filter((r) => (r.hour as number) > after || ((r.hour as number) === after && (r.pageId as string) > afterId))
        .slice(0, limit);
      if (fault === 'empty') return;
      yield typeof fault === 'number' ? page.slice(0, fault) : page;
    },
  };
}

const ids = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
const window2h = (over: Partial<CaptureLimits> = {}) => ({
  capture: 'c',
  resource: 'PageEvents' as const,
  target: 'c/PageEvents',
  endpoint,
  limits: { ...limits, ...over },
  fromMs: T,
  toMs: T + 2 * H,
  limit: 3,
});
// 11 rows, so no page but the last is short.
const truth = [...ids(7).map((p) => row(T, p)), ...ids(4).map((p) => row(T + H, p))];
const quiet = () => undefined;

describe('issue 8 finding 6: an event window does not trust a wrong 200', () => {
  it('asks again for an empty page after a full one, so a first read loses nothing', async () => {
    const warnings: string[] = [];
    const src = source(() => truth, { 2: 'empty' });
    const r = await captureEventWindow(window2h(), src, collections, quiet, undefined, (m) => warnings.push(m));
    expect(await all('c/PageEvents')).toEqual(truth);
    expect(r).toMatchObject({ rows: 11, rereads: 1, shrinks: 0, hoursWithData: 2 });
    expect(warnings).toEqual([expect.stringMatching(/empty page/)]);
  });

  it('asks again for an empty first page', async () => {
    const r = await captureEventWindow(
      window2h(),
      source(() => truth, { 1: 'empty' }),
      collections,
      quiet,
    );
    expect(await all('c/PageEvents')).toEqual(truth);
    expect(r.rereads).toBe(1);
  });

  it('reads an hour again before an empty answer replaces its stored rows, and keeps the second read', async () => {
    await captureEventWindow(
      window2h(),
      source(() => truth),
      collections,
      quiet,
    );
    // Two empty answers in a row get past the page check; the hour check still holds.
    const src = source(() => truth, { 1: 'empty', 2: 'empty' });
    const r = await captureEventWindow(window2h(), src, collections, quiet);
    expect(await all('c/PageEvents')).toEqual(truth);
    expect(r).toMatchObject({ shrinks: 0, rows: 11, hoursWithData: 2 });
    expect(await strayTemps('c/PageEvents')).toEqual([]);
  });

  it('reads an hour again when a short page would cut it by more than the guard', async () => {
    await captureEventWindow(
      window2h(),
      source(() => truth),
      collections,
      quiet,
    );
    // The first page is cut to 1 row, which ends the read: hour 0 would keep 1 of 7, hour 1 none of 4.
    const r = await captureEventWindow(
      window2h(),
      source(() => truth, { 1: 1 }),
      collections,
      quiet,
    );
    expect(await all('c/PageEvents')).toEqual(truth);
    expect(r).toMatchObject({ shrinks: 0, rereads: 2, rows: 11 });
  });

  it('applies a shrink that a second read confirms, and counts and logs it', async () => {
    let now = truth;
    await captureEventWindow(
      window2h(),
      source(() => now),
      collections,
      quiet,
    );
    now = truth.filter((x) => x.hour !== T);
    const warnings: Record<string, unknown>[] = [];
    const r = await captureEventWindow(
      window2h(),
      source(() => now),
      collections,
      quiet,
      undefined,
      (_m, d) => warnings.push(d),
    );
    expect(await all('c/PageEvents')).toEqual(now);
    expect(r).toMatchObject({ shrinks: 1, rows: 4, hoursWithData: 1 });
    expect(warnings).toContainEqual(expect.objectContaining({ resource: 'PageEvents', stored: 7, read: 0, reread: 0 }));
  });

  it('replaces nothing and fails retryably when the two reads disagree and both shrink sharply', async () => {
    await captureEventWindow(
      window2h(),
      source(() => truth),
      collections,
      quiet,
    );
    // Hour 0: the first read is cut to 1 row, the re-read to 2; both far below the 7 stored.
    const src = source(() => truth, { 1: 1, 2: 2 });
    const err = await captureEventWindow(window2h(), src, collections, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PendoError);
    expect(err).toMatchObject({ type: 'PendoBadResponse', retryable: true });
    expect((err as Error).message).toMatch(
      /PageEvents hour 2026-11-24T00:00:00.000Z with 1 rows, then 2.*7 are stored/,
    );
    expect(await all('c/PageEvents')).toEqual(truth);
    expect(await strayTemps('c/PageEvents')).toEqual([]);
  });

  it('follows the configured guard', async () => {
    let now = truth;
    await captureEventWindow(
      window2h(),
      source(() => now),
      collections,
      quiet,
    );
    now = truth.filter((x) => x.hour !== T || Number(String(x.pageId).slice(1)) < 3);
    const loose = await captureEventWindow(
      window2h({ shrinkGuard: 0.9 }),
      source(() => now),
      collections,
      quiet,
    );
    expect(loose.rereads).toBe(0);
    expect(await all('c/PageEvents')).toEqual(now);
  });

  it.each([
    ['missing', (r: Row) => (delete r.accountId, r)],
    ['null', (r: Row) => ({ ...r, accountId: null })],
  ])('refuses a row whose accountId is %s, naming the resource, field and row, and stores none of it', async (_, f) => {
    const bad = truth.map((r, i) => (i === 4 ? f({ ...r }) : r));
    const err = await captureEventWindow(
      window2h(),
      source(() => bad),
      collections,
      quiet,
      async () => undefined,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'PendoBadResponse', retryable: true });
    expect((err as Error).message).toMatch(
      /PageEvents row without its key field accountId \(row 5 of \[2026-11-24T00:00:00.000Z, 2026-11-24T02:00:00.000Z\), on page 2\)/,
    );
    expect((await all('c/PageEvents')).every((d) => typeof d.accountId === 'string')).toBe(true);
    expect(await strayTemps('c/PageEvents')).toEqual([]);
  });

  it('accepts an empty accountId, which Pendo sends for anonymous visitors', async () => {
    const anonymous = truth.map((r, i) => (i === 4 ? { ...r, accountId: '' } : r));
    await captureEventWindow(
      window2h(),
      source(() => anonymous),
      collections,
      quiet,
    );
    expect(await all('c/PageEvents')).toEqual(anonymous);
  });
});

const lister = (answers: Row[][]) => {
  let calls = 0;
  return listSource(() => answers[Math.min(calls++, answers.length - 1)] ?? []);
};

describe('issue 8 finding 6: a snapshot does not trust a wrong 200', () => {
  const input = { capture: 'c', resource: 'Page' as const, target: 'c/Page', endpoint, limits };
  const pages = ids(18, 'page').map((id) => ({ id, name: id.toUpperCase() }));

  it('reads an empty list again instead of turning every object into a tombstone', async () => {
    await captureSnapshot(input, lister([pages]), collections);
    const before = await all('c/Page');
    const r = await captureSnapshot(input, lister([[], pages]), collections);
    expect(r).toEqual({ objects: 18, changed: 0, deleted: 0, rereads: 1, shrinks: 0 });
    expect(await all('c/Page')).toEqual(before);
  });

  it('applies an emptied list that a second read confirms, with a tombstone for each object', async () => {
    await captureSnapshot(input, lister([pages]), collections);
    const r = await captureSnapshot(input, lister([[], []]), collections);
    expect(r).toMatchObject({ objects: 0, deleted: 18, rereads: 1, shrinks: 1 });
    expect((await all('c/Page')).every((d) => (d._meta as { op: string }).op === 'd')).toBe(true);
  });

  it('replaces nothing when the two reads disagree and both shrink sharply', async () => {
    await captureSnapshot(input, lister([pages]), collections);
    const before = await all('c/Page');
    const err = await captureSnapshot(input, lister([[], pages.slice(0, 3)]), collections).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'PendoBadResponse', retryable: true });
    expect((err as Error).message).toMatch(/listed 0 Page objects, then 3, where 18 are stored/);
    expect(await all('c/Page')).toEqual(before);
    expect(await strayTemps('c/Page')).toEqual([]);
  });

  it('refuses an object without an id, naming the resource, field and position', async () => {
    const bad = pages.map((p, i) => (i === 6 ? { name: p.name } : p));
    const err = await captureSnapshot(input, lister([bad]), collections).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'PendoBadResponse', retryable: true });
    expect((err as Error).message).toMatch(/Page object without its key field id \(object 7 of the list\)/);
    expect(await all('c/Page')).toEqual([]);
  });
});
