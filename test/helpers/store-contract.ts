import { AepError } from '../../src/aep/errors';
import type { MessageResult } from '../../src/aep/inlet';
import { captureSnapshot } from '../../src/activities/capture/snapshot';
import type { Row } from '../../src/resources';
import type { StepTarget } from '../../src/workflows/capture/activity-types';
import { deliverPartition, type BatchSender } from '../../src/store/aep-delivery';
import type { Store } from '../../src/store/contract';
import { uniqueIdOf } from '../../src/store/messages';
import { outboxTarget, SNAPSHOT_PARTITION } from '../../src/store/names';
import { listSource } from './snapshot-lists';

/**
 * The store contract, run against each store. `open` gives a new handle on the same store each time, as a
 * second machine would open it (for local files: the same folder, i.e. one shared volume).
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`issue 11: store contract (${name})`, () => {
    const handles: Store[] = [];
    let seq = 0;
    let a: Store;
    let b: Store;
    const fresh = () => `contract${++seq}-${Date.now()}`;
    const handle = async () => {
      const store = await open();
      handles.push(store);
      return store;
    };
    beforeAll(async () => {
      a = await handle();
      b = await handle();
    });
    afterAll(async () => {
      for (const store of handles) await store.close();
    });

    async function docs(store: Store, target: string): Promise<Row[]> {
      const out: Row[] = [];
      for await (const line of store.collections.lines(target)) out.push(JSON.parse(line) as Row);
      return out;
    }
    async function put(store: Store, target: string, partition: string, rows: Row[]): Promise<void> {
      const writer = await store.collections.openPartition(target, partition);
      for (const row of rows) await writer.write(row, String(row.id));
      await writer.commit();
    }
    const rows = (prefix: string, n: number, extra: Row = {}) =>
      Array.from({ length: n }, (_unused, i) => ({ id: `${prefix}${String(i).padStart(5, '0')}`, i, ...extra }));

    test('atomic partition replace: nothing of a writer shows before its commit, an abort keeps the old content', async () => {
      const target = `${fresh()}/PageEvents`;
      await put(a, target, 'T00', rows('k', 5, { v: 1 }));
      const writer = await a.collections.openPartition(target, 'T00');
      for (const row of [...rows('k', 3, { v: 2 }), { id: 'new', v: 2 }]) await writer.write(row, String(row.id));
      await writer.seal();
      expect((await docs(b, target)).map((d) => d.v)).toEqual([1, 1, 1, 1, 1]);
      await writer.abort();
      expect(await docs(b, target)).toHaveLength(5);
      const again = await a.collections.openPartition(target, 'T00');
      for (const row of [...rows('k', 3, { v: 2 }), { id: 'new', v: 2 }]) await again.write(row, String(row.id));
      expect(await again.commit()).toBe(4);
      // Keys no longer written are gone, kept keys updated, new keys added: the new content, whole.
      expect((await docs(b, target)).map((d) => `${String(d.id)}:${String(d.v)}`)).toEqual([
        'k00000:2',
        'k00001:2',
        'k00002:2',
        'new:2',
      ]);
      expect(await b.collections.countPartition(target, 'T00')).toBe(4);
      expect(await b.collections.removePartition(target, 'T00')).toBe(true);
      expect(await b.collections.removePartition(target, 'T00')).toBe(false);
      expect(await docs(a, target)).toEqual([]);
    });

    test('issue 13: a partition version changes at each commit and removal, seen from any handle, and only then', async () => {
      const target = `${fresh()}/Page`;
      expect(await a.collections.partitionVersion(target, SNAPSHOT_PARTITION)).toBeNull();
      await put(a, target, SNAPSHOT_PARTITION, rows('p', 3));
      const first = await b.collections.partitionVersion(target, SNAPSHOT_PARTITION);
      expect(first).toEqual(expect.any(String));
      expect(await a.collections.partitionVersion(target, SNAPSHOT_PARTITION)).toBe(first);
      const aborted = await b.collections.openPartition(target, SNAPSHOT_PARTITION);
      await aborted.write({ id: 'x' }, 'x');
      await aborted.abort();
      expect(await a.collections.partitionVersion(target, SNAPSHOT_PARTITION)).toBe(first);
      // The same content committed again is a new version: a version names a commit, not a content.
      await put(b, target, SNAPSHOT_PARTITION, rows('p', 3));
      const second = await a.collections.partitionVersion(target, SNAPSHOT_PARTITION);
      expect(second).not.toBe(first);
      expect(await a.collections.removePartition(target, SNAPSHOT_PARTITION)).toBe(true);
      expect(await b.collections.partitionVersion(target, SNAPSHOT_PARTITION)).toBeNull();
      await put(a, target, SNAPSHOT_PARTITION, rows('p', 3));
      const third = await b.collections.partitionVersion(target, SNAPSHOT_PARTITION);
      expect([first, second, null]).not.toContain(third);
    });

    test('commitPartitions makes several partitions visible together', async () => {
      const target = fresh();
      const first = await a.collections.openPartition(`${target}/Page/_outbox`, 'changes');
      const second = await a.collections.openPartition(`${target}/Page`, SNAPSHOT_PARTITION);
      await first.write({ id: 'x' }, 'x');
      await second.write({ id: 'x' }, 'x');
      expect(await b.collections.partitions(`${target}/Page`)).toEqual([]);
      await a.collections.commitPartitions([first, second]);
      expect(await docs(b, `${target}/Page/_outbox`)).toEqual([{ id: 'x' }]);
      expect(await docs(b, `${target}/Page`)).toEqual([{ id: 'x' }]);
    });

    test('snapshot diff and tombstones: the previous state is the store, wherever the step runs', async () => {
      const target = `${fresh()}/Page`;
      const run = (store: Store, list: Row[], deliver?: (t: string, p: string) => Promise<number>) =>
        captureSnapshot(
          step(target),
          listSource(() => list),
          store.collections,
          { deliver },
        );
      const first = await run(a, [
        { id: 'A', n: 1 },
        { id: 'B', n: 1 },
        { id: 'C', n: 1 },
      ]);
      expect(first).toMatchObject({ objects: 3, changed: 3, deleted: 0 });
      // The next step runs on the other handle ("machine"): it sees A unchanged, B changed, C gone.
      const second = await run(b, [
        { id: 'A', n: 1 },
        { id: 'B', n: 2 },
      ]);
      expect(second).toMatchObject({ objects: 2, changed: 1, deleted: 1 });
      const ops = Object.fromEntries((await docs(a, target)).map((d) => [d.id, (d._meta as { op: string }).op]));
      expect(ops).toEqual({ A: 'c', B: 'u', C: 'd' });
      expect(
        await run(a, [
          { id: 'A', n: 1 },
          { id: 'B', n: 2 },
        ]),
      ).toMatchObject({ changed: 0, deleted: 0 });
    });

    test('outbox then commit: a delivery that fails after the commit is delivered first by the next step', async () => {
      const target = `${fresh()}/Page`;
      const inlet = new RecordingInlet();
      const deliver = (store: Store) => async (t: string, partition: string) =>
        (await deliverPartition(deliveryArgs(store, inlet, 'Page', t, partition))).sent;
      const run = (store: Store, list: Row[]) =>
        captureSnapshot(
          step(target),
          listSource(() => list),
          store.collections,
          { deliver: deliver(store) },
        );
      await run(a, [
        { id: 'A', n: 1 },
        { id: 'B', n: 1 },
      ]);
      inlet.failWholeRequests = true;
      await expect(run(a, [{ id: 'A', n: 2 }])).rejects.toThrow(/refused a whole request/);
      // Committed together: the snapshot holds A@2 and B's tombstone, and the outbox holds both changes.
      expect((await docs(b, outboxTarget(target))).map((d) => d.id)).toEqual(['A', 'B']);
      inlet.failWholeRequests = false;
      const after = await run(b, [{ id: 'A', n: 2 }]);
      expect(after).toMatchObject({ changed: 0, deleted: 0, delivered: 2 });
      const sent = inlet.accepted.map((m) => m.eventType);
      expect(sent.sort()).toEqual(['page', 'page', 'page', 'pageDeleted']);
      expect(new Set(inlet.accepted.map((m) => m.uniqueId)).size).toBe(4);
    });

    test('ledger resume: a delivery cut after one batch resends nothing acknowledged, from either handle', async () => {
      // Page messages: their uniqueId is the object's id (no _meta here), one each.
      const target = `${fresh()}/Page`;
      const n = 1234;
      await put(a, target, 'T00', rows('e', n));
      const inlet = new RecordingInlet();
      inlet.failAfterBatches = 1;
      inlet.refuse = new Set(['e00007']);
      await expect(deliverPartition(deliveryArgs(a, inlet, 'Page', target, 'T00'))).rejects.toThrow();
      expect(await b.ledger.read(target, 'T00')).toMatchObject({ acked: 500, rejected: 1 });
      expect((await b.deadLetters.list(target)).map((l) => l.message.properties.id)).toEqual(['e00007']);
      inlet.failAfterBatches = undefined;
      const r = await deliverPartition(deliveryArgs(b, inlet, 'Page', target, 'T00'));
      expect(r).toEqual({ sent: n - 500, skipped: 500, rejected: 0 });
      const ids = inlet.accepted.map((m) => m.uniqueId);
      expect(ids).toHaveLength(n - 1);
      expect(new Set(ids).size).toBe(n - 1);
      expect(await a.ledger.totals(target)).toMatchObject({ delivered: n - 1, pending: 0 });
      await a.ledger.settleReplay(target, [uniqueIdOf('Page', { id: 'e00007', i: 7 })]);
      expect(await b.deadLetters.list(target)).toEqual([]);
      expect(await b.ledger.totals(target)).toMatchObject({ delivered: n, pending: 0 });
    });

    test('export order and completeness: partitions in name order, documents in written order, all of them', async () => {
      const target = `${fresh()}/PageEvents`;
      const hours = ['2026-11-24T02', '2026-11-24T00', '2026-11-24T01', 'snapshot'];
      for (const [h, hour] of hours.entries()) await put(a, target, hour, rows(`h${h}-`, 1100 + h).reverse());
      expect(await b.collections.partitions(target)).toEqual([...hours].sort());
      const got = await docs(b, target);
      const want = [...hours]
        .sort()
        .flatMap((hour) => rows(`h${hours.indexOf(hour)}-`, 1100 + hours.indexOf(hour)).reverse());
      expect(got.map((d) => d.id)).toEqual(want.map((d) => d.id));
      await a.collections.writeCursor(target, { startMs: 1, cursorMs: 2 });
      await a.collections.writeCursor(target, { startMs: 1, cursorMs: 3 });
      expect(await b.collections.readCursor(target)).toEqual({ startMs: 1, cursorMs: 3 });
      await b.collections.drop(target);
      expect(await a.collections.partitions(target)).toEqual([]);
      expect(await a.collections.readCursor(target)).toBeNull();
    });

    test('concurrent writers to one collection: each partition ends as one writer wrote it, whole', async () => {
      const target = `${fresh()}/PageEvents`;
      const writers = 6;
      const write = async (w: number) => {
        const store = w % 2 === 0 ? a : b;
        // Two writers per partition, with different keys and sizes, all committing at once.
        await put(store, target, `T0${w % 3}`, rows(`w${w}-`, 300 + w * 50, { writer: w }));
      };
      await Promise.all(Array.from({ length: writers }, (_unused, w) => write(w)));
      expect(await a.collections.partitions(target)).toEqual(['T00', 'T01', 'T02']);
      for (const partition of ['T00', 'T01', 'T02']) {
        const got: Row[] = [];
        for await (const d of b.collections.readPartition(target, partition)) got.push(d);
        const by = new Set(got.map((d) => d.writer));
        expect(by.size).toBe(1);
        const w = [...by][0] as number;
        expect(got.map((d) => d.id)).toEqual(rows(`w${w}-`, 300 + w * 50).map((d) => d.id));
        expect(await a.collections.countPartition(target, partition)).toBe(got.length);
      }
    });
  });
}

function step(target: string): StepTarget {
  return {
    capture: 'contract',
    resource: 'Page',
    target,
    endpoint: { accessToken: 'unused', baseUrl: 'http://127.0.0.1:1' },
    limits: { incrementalLimit: 100, backfillLimit: 100, windowHours: 1, requestTimeoutMs: 1000 },
  };
}

function deliveryArgs(store: Store, sender: BatchSender, resource: 'Page', target: string, partition: string) {
  return {
    collections: store.collections,
    ledger: store.ledger,
    sender,
    inlet: { inletUrl: 'http://127.0.0.1:1/collection/x', flowId: 'flow' },
    resource,
    target,
    partition,
    pause: async () => undefined,
  };
}

interface Sent {
  uniqueId: string;
  eventType: string;
  properties: Row;
}

/** An in-process stand-in for the AEP inlet: records what it accepts, refuses on demand. */
class RecordingInlet implements BatchSender {
  accepted: Sent[] = [];
  failWholeRequests = false;
  failAfterBatches: number | undefined;
  refuse = new Set<string>();
  private batches = 0;

  async sendBatch(_url: string, _flow: string, messages: readonly unknown[]): Promise<MessageResult[]> {
    if (this.failWholeRequests || (this.failAfterBatches !== undefined && this.batches >= this.failAfterBatches)) {
      throw new AepError({ type: 'AepUnavailable', retryable: true, status: 503, message: 'unavailable' });
    }
    this.batches++;
    return (messages as Sent[]).map((m, index) => {
      if (this.refuse.has(String(m.properties.id))) {
        return { index, ok: false, type: 'AepValidation', retryable: false, status: 400, message: 'invalid' };
      }
      this.accepted.push(m);
      return { index, ok: true, xactionId: `x${this.accepted.length}` };
    });
  }
}
