/** The name of an hour's partition, e.g. `2026-11-24T03`; names sort in time order. */
export function hourPartition(hourMs: number): string {
  return new Date(hourMs).toISOString().slice(0, 13);
}

/** A metadata collection's one partition: the latest version of every object, tombstones included. */
export const SNAPSHOT_PARTITION = 'snapshot';

/** Where a snapshot collection's changes wait for delivery: a collection of its own, beside its partitions. */
export const outboxTarget = (target: string): string => `${target}/_outbox`;

/** Throws unless `target` is a collection name: letters, digits, `.`, `_`, `-`, and `/` between parts. */
export function checkCollectionName(target: string): void {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(target) ||
    target.split('/').some((p) => p === '..' || p === '.' || p === '')
  ) {
    throw new Error(`'${target}' is not a valid collection name (letters, digits, . _ - and / between parts)`);
  }
}
