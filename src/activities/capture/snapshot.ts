import { createHash } from 'node:crypto';
import { REGISTRY, type Row } from '../../resources';
import { missingKeyField } from '../../resources/keys';
import type { PendoClient, SnapshotList } from '../../pendo/client';
import { PendoError } from '../../pendo/errors';
import type { Collections, PartitionWriter } from '../../store/contract';
import { outboxTarget, SNAPSHOT_PARTITION } from '../../store/names';
import type { SnapshotResult, StepTarget } from '../../workflows/capture/activity-types';
import { PendoErrorType } from '../../workflows/common/errors';
import type { Warn } from './event-window';
import { DEFAULT_SHRINK_GUARD, isSharpShrink, judgeReread } from './shrink-guard';

export type Op = 'c' | 'u' | 'd';

/** A collection's changes waiting for delivery live beside it, outside its partitions. */
const OUTBOX_PARTITION = 'changes';
interface Meta {
  op: Op;
  hash: string;
}

/** A hash of an object's content that ignores key order. */
export function contentHash(value: unknown): string {
  return createHash('sha1').update(stableJson(value)).digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Row)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Objects a read holds before it opens its snapshot: a list that changes nothing is never written, and a longer one
 * is written as it streams, so memory stays flat.
 */
const HOLD_MAX = 2000;

/** A list up to this long is held whole and digested, so an unchanged one is not parsed (see `ListMemos`). */
export const LIST_HOLD_BYTES = 512 * 1024;

/**
 * What a worker remembers of the last list it applied to each collection: the list's digest and the version of the
 * snapshot it left. When both match, a poll is answered without reading the snapshot or parsing the list. The
 * version comes from the store, so a commit by any other worker or process makes the memo stale.
 */
export type ListMemos = Map<string, { version: string; digest: string; objects: number }>;

export interface SnapshotOptions {
  /** Delivers a committed partition to the capture's AEP inlet, when it has one. */
  deliver?: (target: string, partition: string) => Promise<number>;
  warn?: Warn;
  memos?: ListMemos;
}

/**
 * One read of the list, written to a new snapshot and outbox that are not yet visible. Until something changes (or
 * the list outgrows `HOLD_MAX`), the objects wait in `held` and no partition is open.
 */
interface Pass {
  writer?: PartitionWriter;
  outbox?: PartitionWriter;
  held: { doc: Row; id: string }[];
  seen: Set<string>;
  changed: number;
  digest?: string;
}

/**
 * Takes a full snapshot of one metadata resource and rewrites its collection in one atomic step (with its outbox).
 * Objects keep their `_meta.op` unless they changed (`c` new, `u` updated); objects gone get a tombstone (`d`).
 * A list that would shrink sharply from the live objects stored (see shrink-guard) is read again first, and applies
 * only when the two reads agree (a confirmed shrink, counted and logged) or the second does not shrink.
 * Idempotent: the collection itself is the previous state, so a retry after a crash finds nothing new to emit;
 * an outbox left undelivered by a crash after its commit is delivered first.
 */
export async function captureSnapshot(
  input: StepTarget,
  client: Pick<PendoClient, 'readSnapshotList'>,
  collections: Collections,
  { deliver, warn = () => undefined, memos }: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const def = REGISTRY[input.resource];
  const guard = input.limits.shrinkGuard ?? DEFAULT_SHRINK_GUARD;
  const version = memos ? await collections.partitionVersion(input.target, SNAPSHOT_PARTITION) : null;
  const memo = memos?.get(input.target);
  // With a sink beyond the collection, the changes go to an outbox committed with the snapshot, then delivered.
  // An outbox a crash left undelivered goes first, before the next snapshot's changes replace it; the ledger
  // skips what was sent.
  const outboxName = outboxTarget(input.target);
  let delivered: number | undefined;
  if (deliver && (await collections.countPartition(outboxName, OUTBOX_PARTITION)) > 0) {
    delivered = await deliver(outboxName, OUTBOX_PARTITION);
  }
  const firstList = await client.readSnapshotList(def, LIST_HOLD_BYTES);
  if (memo && version !== null && memo.version === version && firstList.digest === memo.digest) {
    firstList.close();
    const same = { objects: memo.objects, changed: 0, deleted: 0, rereads: 0, shrinks: 0 };
    return delivered === undefined ? same : { ...same, delivered };
  }
  const previous = new Map<string, Meta>();
  let live = 0;
  try {
    for await (const doc of collections.readPartition(input.target, SNAPSHOT_PARTITION)) {
      const meta = doc._meta as Meta;
      previous.set(String(doc.id), meta);
      if (meta.op !== 'd') live++;
    }
  } catch (err) {
    firstList.close();
    throw err;
  }

  /** Opens the pass's snapshot (and outbox) and writes what it held; returns the snapshot's writer. */
  async function open(pass: Pass): Promise<PartitionWriter> {
    if (pass.writer) return pass.writer;
    const writer = await collections.openPartition(input.target, SNAPSHOT_PARTITION);
    pass.writer = writer;
    if (deliver) pass.outbox = await collections.openPartition(outboxName, OUTBOX_PARTITION);
    for (const { doc, id } of pass.held) await writer.write(doc, id);
    pass.held = [];
    return writer;
  }

  async function read(list: SnapshotList): Promise<Pass> {
    const pass: Pass = { held: [], seen: new Set(), changed: 0, ...(list.digest ? { digest: list.digest } : {}) };
    let position = 0;
    try {
      for await (const obj of list.rows) {
        position++;
        const missing = missingKeyField(def, obj);
        if (missing) {
          throw new PendoError(
            PendoErrorType.BadResponse,
            `Pendo returned a ${def.name} object without its key field ${missing} (object ${position} of the list); ` +
              'nothing of this list is stored and it is read again',
          );
        }
        const id = String(obj.id);
        if (pass.seen.has(id)) continue;
        pass.seen.add(id);
        const hash = contentHash(obj);
        const before = previous.get(id);
        const op: Op = !before || before.op === 'd' ? 'c' : before.hash !== hash ? 'u' : before.op;
        const doc = { ...obj, _meta: { op, hash } satisfies Meta };
        if (!before || before.hash !== hash) {
          pass.changed++;
          await open(pass);
          await pass.outbox?.write(doc, id);
        }
        if (pass.writer) await pass.writer.write(doc, id);
        else if (pass.held.push({ doc, id }) >= HOLD_MAX) await open(pass);
      }
      return pass;
    } catch (err) {
      await abort(pass);
      throw err;
    }
  }

  let rereads = 0;
  let shrinks = 0;
  let pass = await read(firstList);
  try {
    if (isSharpShrink(live, pass.seen.size, guard)) {
      const first = pass;
      rereads++;
      const second = await read(await client.readSnapshotList(def, LIST_HOLD_BYTES));
      await abort(first);
      pass = second;
      const verdict = judgeReread(live, first.seen.size, second.seen.size, guard);
      const details = { resource: def.name, stored: live, read: first.seen.size, reread: second.seen.size };
      if (verdict === 'retry') {
        throw new PendoError(
          PendoErrorType.BadResponse,
          `Pendo listed ${first.seen.size} ${def.name} objects, then ${second.seen.size}, where ${live} are stored; ` +
            'nothing is replaced and the list is read again',
        );
      }
      if (verdict === 'confirmed') {
        shrinks++;
        warn('a snapshot shrank sharply and a second read confirmed it; the objects gone get tombstones', details);
      } else warn('a snapshot shrank sharply but a second read did not; the second read applies', details);
    }
  } catch (err) {
    await abort(pass);
    throw err;
  }
  const { seen, changed } = pass;
  const gone = [...previous].filter(([id]) => !seen.has(id));
  const deleted = gone.filter(([, meta]) => meta.op !== 'd').length;
  let kept = version;
  try {
    // A list that changed nothing leaves the stored snapshot as it is: the same objects with the same marks.
    if (changed === 0 && deleted === 0 && previous.size > 0) await abort(pass);
    else {
      const writer = await open(pass);
      for (const [id, meta] of gone) {
        const tombstone = { id, _meta: { op: 'd', hash: meta.op === 'd' ? meta.hash : 'deleted' } satisfies Meta };
        if (meta.op !== 'd') await pass.outbox?.write(tombstone, id);
        await writer.write(tombstone, id);
      }
      // The outbox first: a store that cannot commit both in one step (local files) leaves the outbox, whose
      // redo the ledger skips, never a snapshot whose changes were not kept.
      await collections.commitPartitions(pass.outbox ? [pass.outbox, writer] : [writer]);
      if (memos) kept = await collections.partitionVersion(input.target, SNAPSHOT_PARTITION);
    }
  } catch (err) {
    await abort(pass);
    throw err;
  }
  if (memos) {
    if (kept !== null && pass.digest)
      memos.set(input.target, { version: kept, digest: pass.digest, objects: seen.size });
    else memos.delete(input.target);
  }
  if (pass.outbox && deliver) delivered = (delivered ?? 0) + (await deliver(outboxName, OUTBOX_PARTITION));
  return {
    objects: seen.size,
    changed,
    deleted,
    rereads,
    shrinks,
    ...(delivered === undefined ? {} : { delivered }),
  };
}

async function abort(pass: Pass): Promise<void> {
  pass.held = [];
  await pass.writer?.abort();
  await pass.outbox?.abort();
}
