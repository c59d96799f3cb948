import { createHash } from 'node:crypto';
import { REGISTRY, type Row } from '../pendo/registry';
import type { PendoClient } from '../pendo/client';
import { type LocalCollections, SNAPSHOT_PARTITION } from '../sinks/collections';
import type { SnapshotResult, StepTarget } from '../shared/activity-types';

export type Op = 'c' | 'u' | 'd';

/** A collection's changes waiting for delivery live beside it, outside its partitions. */
const OUTBOX = '_outbox';
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
 * Takes a full snapshot of one metadata resource and rewrites its collection in one atomic step.
 * Objects keep their `_meta.op` unless they changed (`c` new, `u` updated); objects gone get a tombstone (`d`).
 * Idempotent: the collection itself is the previous state, so a retry after a crash finds nothing new to emit.
 */
export async function captureSnapshot(
  input: StepTarget,
  client: Pick<PendoClient, 'listSnapshot'>,
  collections: LocalCollections,
  deliver?: (outboxTarget: string, partition: string) => Promise<number>,
): Promise<SnapshotResult> {
  const def = REGISTRY[input.resource];
  const previous = new Map<string, Meta>();
  for await (const doc of collections.readPartition(input.target, SNAPSHOT_PARTITION)) {
    previous.set(String(doc.id), doc._meta as Meta);
  }
  const writer = await collections.openPartition(input.target, SNAPSHOT_PARTITION);
  // With a sink beyond the collection, the changes go to an outbox that is delivered before the snapshot is
  // committed: a crash in between finds the same changes again, and the delivery ledger skips what was sent.
  const outboxTarget = `${input.target}/${OUTBOX}`;
  const outbox = deliver ? await collections.openPartition(outboxTarget, OUTBOX_PARTITION) : undefined;
  const seen = new Set<string>();
  let changed = 0;
  let deleted = 0;
  let delivered: number | undefined;
  try {
    for await (const obj of client.listSnapshot(def)) {
      const id = String(obj.id);
      if (seen.has(id)) continue;
      seen.add(id);
      const hash = contentHash(obj);
      const before = previous.get(id);
      const op: Op = !before || before.op === 'd' ? 'c' : before.hash !== hash ? 'u' : before.op;
      const doc = { ...obj, _meta: { op, hash } satisfies Meta };
      if (!before || before.hash !== hash) {
        changed++;
        await outbox?.write(doc);
      }
      await writer.write(doc);
    }
    for (const [id, meta] of previous) {
      if (seen.has(id)) continue;
      const tombstone = { id, _meta: { op: 'd', hash: meta.op === 'd' ? meta.hash : 'deleted' } satisfies Meta };
      if (meta.op !== 'd') {
        deleted++;
        await outbox?.write(tombstone);
      }
      await writer.write(tombstone);
    }
    if (outbox && deliver) {
      await outbox.commit();
      delivered = await deliver(outboxTarget, OUTBOX_PARTITION);
    }
    await writer.commit();
  } catch (err) {
    await writer.abort();
    await outbox?.abort();
    throw err;
  }
  return { objects: seen.size, changed, deleted, ...(delivered === undefined ? {} : { delivered }) };
}
