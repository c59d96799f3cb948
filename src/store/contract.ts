import type { CommittedCursor } from '../workflows/capture/activity-types';
import type { DeadLetter, DeadLetterStore } from './dead-letters';

/**
 * One partition's new content, written aside and made visible by `commit` (or by `Collections.commitPartitions`).
 * Readers see the old content or the new, never a mix; a crash before the commit leaves the old content.
 */
export interface PartitionWriter {
  readonly target: string;
  readonly partition: string;
  /** Documents written so far. */
  readonly documents: number;
  /**
   * Buffers a document under its key (unique in the collection); returns a promise only when the buffer went to
   * the store and must drain first.
   */
  write(doc: unknown, key: string): Promise<void> | undefined;
  /** Writes out what is buffered, so the writer can be committed or aborted later; returns the count. */
  seal(): Promise<number>;
  /** Makes the new content visible, replacing the partition's old content; returns the number of documents. */
  commit(): Promise<number>;
  /** Drops what was written; the old content stays. */
  abort(): Promise<void>;
}

/**
 * Keyed collections: named partitions of JSON documents, each document of a key in exactly one partition, so
 * replacing a partition replaces those documents and a collection never holds two documents of one key.
 */
export interface Collections {
  /** Where a collection lives, for messages (a folder, or a masked database URL). */
  describe(target: string): string;
  openPartition(target: string, partition: string): Promise<PartitionWriter>;
  /** Commits several writers as one step: all their new content becomes visible, or none of it. */
  commitPartitions(writers: readonly PartitionWriter[]): Promise<void>;
  removePartition(target: string, partition: string): Promise<boolean>;
  /** Partition names in order (names sort in time order). */
  partitions(target: string): Promise<string[]>;
  /** How many documents a partition holds (0 when it does not exist). */
  countPartition(target: string, partition: string): Promise<number>;
  /**
   * A token that changes at every commit and every removal of the partition, without reading its documents; null
   * when it does not exist. Equal tokens mean no commit happened in between.
   */
  partitionVersion(target: string, partition: string): Promise<string | null>;
  /** A partition's documents in the order they were written, streamed. */
  readPartition(target: string, partition: string): AsyncGenerator<Record<string, unknown>>;
  /** A partition's documents as JSON lines, in the order they were written, streamed. */
  partitionLines(target: string, partition: string): AsyncGenerator<string>;
  /** Every current document of a collection as JSON lines, partition by partition, streamed. */
  lines(target: string): AsyncGenerator<string>;
  /** Records how far a collection's hours are complete; a crash leaves the old record or the new. */
  writeCursor(target: string, cursor: CommittedCursor): Promise<void>;
  /** The last cursor written, or null when there is none. */
  readCursor(target: string): Promise<CommittedCursor | null>;
  /** Removes a collection, the collections under it, and its cursor. */
  drop(target: string): Promise<void>;
}

/** How far a partition's delivery got: messages acknowledged, in partition order, for one version of its content. */
export interface LedgerEntry {
  contentHash: string;
  /** Messages past which delivery moved: accepted by the inlet, or refused on their own and dead-lettered. */
  acked: number;
  rejected: number;
  /** Messages in this version of the partition (absent in entries written before it was kept). */
  total?: number;
  /** Messages accepted for earlier versions of the partition. */
  deliveredBefore?: number;
}

/** Delivery counts of one target, its outbox included. */
export interface LedgerTotals {
  /** Messages the inlet accepted, over every version of every partition. */
  delivered: number;
  /** Messages of the current versions not yet accepted nor dead-lettered. */
  pending: number;
  /** Partitions with an entry. */
  partitions: Set<string>;
}

/** Per-partition delivery checkpoints, so a retried or restarted delivery resends only what was not acknowledged. */
export interface DeliveryLedger {
  read(target: string, partition: string): Promise<LedgerEntry | undefined>;
  write(target: string, partition: string, entry: LedgerEntry): Promise<void>;
  /** Moves past a batch: keeps the batch's dead letters and writes the entry, in one step where the store can. */
  advance(target: string, partition: string, entry: LedgerEntry, letters: readonly DeadLetter[]): Promise<void>;
  /** Replayed letters the inlet accepted: drops them and counts them as delivered, in one step where it can. */
  settleReplay(target: string, uniqueIds: readonly string[]): Promise<void>;
  /** Sums the entries of one target's partitions (not of the targets under it), and its replays. */
  totals(target: string): Promise<LedgerTotals>;
}

/** Everything a worker keeps between steps: collections, snapshot state, outboxes, the ledger and dead letters. */
export interface Store {
  readonly kind: 'files' | 'postgres';
  /** Where it lives, safe to print (a database URL's password is masked). */
  readonly where: string;
  readonly collections: Collections;
  readonly ledger: DeliveryLedger;
  readonly deadLetters: DeadLetterStore;
  close(): Promise<void>;
}
