import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeJsonAtomic } from './json-file';

/** How far a partition's delivery got: messages acknowledged, in file order, for one version of its content. */
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

/** Beside the partitions' entries; partitions are hours or `changes`, never this. */
const REPLAYED = '_replayed.json';

/** Delivery counts of one target, its outbox included. */
export interface LedgerTotals {
  /** Messages the inlet accepted, over every version of every partition. */
  delivered: number;
  /** Messages of the current versions not yet accepted nor dead-lettered. */
  pending: number;
  /** Partitions with an entry. */
  partitions: Set<string>;
}

/**
 * Per-partition delivery checkpoints on the worker's disk, written atomically after each acknowledged batch,
 * so a retried or restarted delivery resends only what the inlet has not acknowledged.
 */
export class DeliveryLedger {
  constructor(private readonly root: string) {}

  private path(target: string, partition: string): string {
    return join(this.root, ...target.split('/'), `${partition}.json`);
  }

  read(target: string, partition: string): Promise<LedgerEntry | undefined> {
    return readJsonFile<LedgerEntry>(this.path(target, partition));
  }

  write(target: string, partition: string, entry: LedgerEntry): Promise<void> {
    return writeJsonAtomic(this.path(target, partition), entry);
  }

  private replayedPath(target: string): string {
    return join(this.root, ...target.split('/'), REPLAYED);
  }

  /** Counts dead letters of `target` a replay got accepted: delivered, though past the ledger of their partition. */
  async addReplayed(target: string, n: number): Promise<void> {
    if (n <= 0) return;
    await writeJsonAtomic(this.replayedPath(target), { replayed: (await this.replayed(target)) + n });
  }

  private async replayed(target: string): Promise<number> {
    return (await readJsonFile<{ replayed: number }>(this.replayedPath(target)))?.replayed ?? 0;
  }

  /** Sums the entries of one target's partitions (not of the targets under it), and its replays. */
  async totals(target: string): Promise<LedgerTotals> {
    const sum: LedgerTotals = { delivered: await this.replayed(target), pending: 0, partitions: new Set() };
    let names: string[];
    try {
      names = await readdir(join(this.root, ...target.split('/')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return sum;
      throw err;
    }
    for (const name of names.filter((n) => n.endsWith('.json') && n !== REPLAYED)) {
      const partition = name.slice(0, -'.json'.length);
      const e = await this.read(target, partition);
      if (!e) continue;
      sum.partitions.add(partition);
      sum.delivered += (e.deliveredBefore ?? 0) + e.acked - e.rejected;
      sum.pending += Math.max(0, (e.total ?? e.acked) - e.acked);
    }
    return sum;
  }
}
