import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureEventWindow, retryDelay } from '../../../src/activities/capture/event-window';
import { PendoError } from '../../../src/pendo/errors';
import { captureSnapshot, type ListMemos } from '../../../src/activities/capture/snapshot';
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
  root = await mkdtemp(join(tmpdir(), 'pendoflow-collections-'));
  collections = new LocalCollections(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function all(target: string): Promise<Row[]> {
  const out: Row[] = [];
  for await (const line of collections.lines(target)) out.push(JSON.parse(line) as Row);
  return out;
}

const lister = (objects: Row[]) => listSource(() => objects);

describe('snapshot capture into a collection', () => {
  const input = { capture: 'c', resource: 'Page' as const, target: 'c/Page', endpoint, limits };

  it('emits new objects first, then only changes, and a tombstone for each deleted object', async () => {
    const a = { id: 'a', name: 'A', lastUpdatedAt: 1 };
    const b = { id: 'b', name: 'B', lastUpdatedAt: 1 };
    expect(await captureSnapshot(input, lister([a, b]), collections)).toEqual({
      objects: 2,
      changed: 2,
      deleted: 0,
      rereads: 0,
      shrinks: 0,
    });
    expect(await captureSnapshot(input, lister([b, a]), collections)).toEqual({
      objects: 2,
      changed: 0,
      deleted: 0,
      rereads: 0,
      shrinks: 0,
    });
    const a2 = { ...a, name: 'A2', lastUpdatedAt: 2 };
    expect(await captureSnapshot(input, lister([a2]), collections)).toEqual({
      objects: 1,
      changed: 1,
      deleted: 1,
      rereads: 0,
      shrinks: 0,
    });
    const docs = await all('c/Page');
    expect(docs).toEqual([
      { ...a2, _meta: expect.objectContaining({ op: 'u' }) },
      { id: 'b', _meta: expect.objectContaining({ op: 'd' }) },
    ]);
    // A deleted object that comes back is created again.
    expect(await captureSnapshot(input, lister([a2, b]), collections)).toEqual({
      objects: 2,
      changed: 1,
      deleted: 0,
      rereads: 0,
      shrinks: 0,
    });
  });

  it('issue 13: a list that changed nothing commits nothing, and the next change still lands', async () => {
    const a = { id: 'a', name: 'A' };
    await captureSnapshot(input, lister([a, { id: 'b' }]), collections);
    const commits = jest.spyOn(collections, 'commitPartitions');
    await captureSnapshot(input, lister([{ id: 'b' }, a]), collections);
    expect(commits).not.toHaveBeenCalled();
    expect((await all('c/Page')).map((d) => d.id)).toEqual(['a', 'b']);
    expect(await captureSnapshot(input, lister([{ ...a, name: 'A2' }]), collections)).toMatchObject({
      changed: 1,
      deleted: 1,
    });
    expect(commits).toHaveBeenCalledTimes(1);
    expect((await all('c/Page')).map((d) => [d.id, (d._meta as { op: string }).op])).toEqual([
      ['a', 'u'],
      ['b', 'd'],
    ]);
  });

  it('leaves the previous snapshot intact when the listing fails part-way', async () => {
    await captureSnapshot(input, lister([{ id: 'a' }]), collections);
    const failing = listSource(async function* () {
      yield { id: 'x' };
      throw new Error('connection reset');
    });
    await expect(captureSnapshot(input, failing, collections)).rejects.toThrow('connection reset');
    expect((await all('c/Page')).map((d) => d.id)).toEqual(['a']);
    expect((await readdir(join(root, 'c', 'Page'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('issue 13: writes nothing for a list that changed nothing, and all of a long list that changed late', async () => {
    const opened: string[] = [];
    const open = collections.openPartition.bind(collections);
    collections.openPartition = (target, partition) => {
      opened.push(partition);
      return open(target, partition);
    };
    const short = Array.from({ length: 18 }, (_, i) => ({ id: `p${i}`, name: `P${i}` }));
    await captureSnapshot(input, lister(short), collections);
    opened.length = 0;
    expect(await captureSnapshot(input, lister(short), collections)).toMatchObject({ changed: 0, deleted: 0 });
    expect(opened).toEqual([]);

    const long = { ...input, target: 'c/Long' };
    const objects = Array.from({ length: 4500 }, (_, i) => ({ id: `o${i}`, name: `O${i}` }));
    await captureSnapshot(long, lister(objects), collections);
    const before = await all('c/Long');
    expect(await captureSnapshot(long, lister(objects), collections)).toMatchObject({ changed: 0 });
    expect(await all('c/Long')).toEqual(before);
    // A change past the objects held: those before it were written as they streamed, none is lost.
    const late = objects.map((o, i) => (i === 4000 ? { ...o, name: 'changed' } : o));
    expect(await captureSnapshot(long, lister(late), collections)).toMatchObject({ objects: 4500, changed: 1 });
    const after = await all('c/Long');
    expect(after).toHaveLength(4500);
    expect(after.filter((d) => (d._meta as { op: string }).op === 'u').map((d) => d.id)).toEqual(['o4000']);
    expect(new Set(after.map((d) => d.id)).size).toBe(4500);
  });

  it('issue 13: answers a list identical to the one it applied last without reading the snapshot or parsing the list', async () => {
    const memos: ListMemos = new Map();
    const pages = Array.from({ length: 18 }, (_, i) => ({ id: `p${i}`, name: `P${i}` }));
    let objects = pages;
    let digest = 'list-1';
    const source = listSource(
      () => objects,
      () => digest,
    );
    const reads: string[] = [];
    const readPartition = collections.readPartition.bind(collections);
    collections.readPartition = (target, partition) => {
      reads.push(target);
      return readPartition(target, partition);
    };
    const poll = () => captureSnapshot(input, source, collections, { memos });
    expect(await poll()).toMatchObject({ objects: 18, changed: 18 });
    const stored = await all('c/Page');
    reads.length = 0;
    const parsedBefore = source.parsed;
    expect(await poll()).toEqual({ objects: 18, changed: 0, deleted: 0, rereads: 0, shrinks: 0 });
    expect(await poll()).toEqual({ objects: 18, changed: 0, deleted: 0, rereads: 0, shrinks: 0 });
    expect({ reads, parsed: source.parsed - parsedBefore }).toEqual({ reads: [], parsed: 0 });
    expect(await all('c/Page')).toEqual(stored);

    // A new list is parsed and diffed against the store: its one change is captured.
    objects = pages.map((p) => (p.id === 'p3' ? { ...p, name: 'renamed' } : p));
    digest = 'list-2';
    expect(await poll()).toMatchObject({ objects: 18, changed: 1, deleted: 0 });
    expect((await all('c/Page')).find((d) => d.id === 'p3')).toMatchObject({ name: 'renamed', _meta: { op: 'u' } });

    // Another worker (its own memos) commits a change; this worker's next poll sees list-2 again, which it
    // remembers, but the snapshot is no longer the one it left: the poll reads the store and puts p3 back.
    objects = pages;
    expect(
      await captureSnapshot(
        input,
        listSource(() => pages),
        collections,
        { memos: new Map() },
      ),
    ).toMatchObject({ changed: 1 });
    objects = pages.map((p) => (p.id === 'p3' ? { ...p, name: 'renamed' } : p));
    reads.length = 0;
    expect(await poll()).toMatchObject({ changed: 1 });
    expect(reads).toEqual(['c/Page']);
    expect((await all('c/Page')).find((d) => d.id === 'p3')).toMatchObject({ name: 'renamed' });

    // A list too long to be held comes with no digest: always parsed, and the memo is dropped.
    const long = listSource(() => objects);
    expect(await captureSnapshot(input, long, collections, { memos })).toMatchObject({ changed: 0 });
    expect(memos.has('c/Page')).toBe(false);
    reads.length = 0;
    expect(await poll()).toMatchObject({ changed: 0 });
    expect(reads).toEqual(['c/Page']);
  });
});

/** A fake aggregation source that honours the hours, limit and the keyset, as the real API does. */
function aggregator(rows: Row[], honourHours = true) {
  const requests: AggregationBody[] = [];
  return {
    requests,
    /** One row per batch, as if every row arrived in a network chunk of its own. */
    async *aggregateBatches(body: AggregationBody): AsyncGenerator<Row[]> {
      requests.push(body);
      const limit = (body.request.pipeline.find((s) => 'limit' in s) as { limit: number }).limit;
      const filter = (body.request.pipeline.find((s) => 'filter' in s) as { filter: string } | undefined)?.filter;
      const after = filter
        ? Number(/hour > (\d+)\) \|\| \(hour == \d+ && pageId > "(\w+)"/.exec(filter)?.[1])
        : -Infinity;
      const afterId = filter ? (/pageId > "(\w+)"/.exec(filter)?.[1] ?? '') : '';
      const source = body.request.pipeline[0] as { source: { timeSeries: { first: string; last: string } } };
      const [first, last] = [Number(source.source.timeSeries.first), Number(source.source.timeSeries.last)];
      const page = rows
        .filter((r) => !honourHours || ((r.hour as number) >= first && (r.hour as number) <= last))
        .filter((r) => (r.hour as number) > after || ((r.hour as number) === after && (r.pageId as string) > afterId))
        .slice(0, limit);
      for (const r of page) yield [r];
    },
  };
}

describe('event window capture into a collection', () => {
  const input = {
    capture: 'c',
    resource: 'PageEvents' as const,
    target: 'c/PageEvents',
    endpoint,
    limits,
    fromMs: T,
    toMs: T + 3 * H,
    limit: 3,
  };
  const row = (hour: number, pageId: string, numEvents = 1): Row => ({
    hour,
    pageId,
    appId: 1,
    visitorId: 'v',
    accountId: 'a',
    remoteIp: 'i',
    server: 's',
    userAgent: 'u',
    numEvents,
  });

  it('pages by keyset across hours, writing one partition per hour and removing hours that are now empty', async () => {
    const first = [row(T, 'p1'), row(T, 'p2'), row(T, 'p3'), row(T, 'p4'), row(T + 2 * H, 'p1')];
    const src = aggregator(first);
    const pages: number[] = [];
    const r = await captureEventWindow(input, src, collections, (p) => pages.push(p.pages));
    expect(r).toEqual({ rows: 5, pages: 2, hoursWithData: 2, rereads: 0, shrinks: 0 });
    expect(await collections.partitions('c/PageEvents')).toEqual(['2026-11-24T00', '2026-11-24T02']);

    // A rescan: hour 0 changed late, hour 2 emptied, hour 1 appeared. Each key keeps one current document.
    const second = [row(T, 'p1', 5), row(T, 'p2'), row(T, 'p3'), row(T, 'p4'), row(T + H, 'p9')];
    // Hour 2 emptying is read again before it goes; the second read agrees, so the shrink is confirmed.
    expect(await captureEventWindow(input, aggregator(second), collections, () => undefined)).toMatchObject({
      rereads: 1,
      shrinks: 1,
    });
    expect(await collections.partitions('c/PageEvents')).toEqual(['2026-11-24T00', '2026-11-24T01']);
    const docs = await all('c/PageEvents');
    expect(docs).toHaveLength(5);
    expect(docs[0]).toMatchObject({ pageId: 'p1', numEvents: 5 });
  });

  it('rejects rows outside the window instead of filing them under a wrong hour', async () => {
    await expect(
      captureEventWindow(input, aggregator([row(T + 5 * H, 'x')], false), collections, () => undefined),
    ).rejects.toThrow(/outside/);
  });
});

describe('page retries inside a window', () => {
  it('continues after the last row written when a response is cut off mid-body, so nothing doubles', async () => {
    const input = {
      capture: 'c',
      resource: 'PageEvents' as const,
      target: 'c/retry',
      endpoint,
      limits,
      fromMs: T,
      toMs: T + H,
      limit: 3,
    };
    const mk = (p: string): Row => ({
      hour: T,
      pageId: p,
      appId: 1,
      visitorId: 'v',
      accountId: 'a',
      remoteIp: 'i',
      server: 's',
      userAgent: 'u',
    });
    const rows = ['p1', 'p2', 'p3', 'p4', 'p5'].map(mk);
    const src = aggregator(rows);
    let calls = 0;
    const flaky = {
      async *aggregateBatches(body: AggregationBody): AsyncGenerator<Row[]> {
        calls++;
        let n = 0;
        for await (const batch of src.aggregateBatches(body)) {
          yield batch;
          if (calls === 1 && ++n === 2) throw new PendoError('PendoUnavailable', 'connection reset mid-body');
        }
      },
    };
    const waits: number[] = [];
    const r = await captureEventWindow(
      input,
      flaky,
      collections,
      () => undefined,
      async (ms) => void waits.push(ms),
    );
    expect(r.rows).toBe(5);
    expect((await all('c/retry')).map((d) => d.pageId)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(waits).toEqual([250]);
  });

  it('gives up locally after a few tries, and at once for a failure only a smaller window can fix', () => {
    const transient = new PendoError('PendoUnavailable', 'x');
    expect(retryDelay(transient, 1)).toBe(250);
    expect(retryDelay(transient, 5)).toBeUndefined();
    expect(retryDelay(new PendoError('PendoRateLimited', 'x', 429, 1000), 1)).toBe(1000);
    expect(retryDelay(new PendoError('PendoRateLimited', 'x', 429, 120_000), 1)).toBeUndefined();
    expect(retryDelay(new PendoError('PendoTooLarge', 'x'), 1)).toBeUndefined();
    expect(retryDelay(new PendoError('PendoAuthError', 'x'), 1)).toBeUndefined();
  });
});
