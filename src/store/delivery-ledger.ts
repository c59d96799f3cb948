import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeliveryLedger, LedgerEntry, LedgerTotals } from './contract';
import type { DeadLetter, DeadLetterStore } from './dead-letters';
import { readJsonFile, writeJsonAtomic } from './json-file';

export type { LedgerEntry, LedgerTotals } from './contract';

/** Beside the partitions' entries; partitions are hours or `changes`, never this. */
const REPLAYED = '_replayed.json';

/**
 * Per-partition delivery checkpoints on the worker's disk, written atomically after each acknowledged batch,
 * so a retried or restarted delivery resends only what the inlet has not acknowledged.
 */
export class FileDeliveryLedger implements DeliveryLedger {
  constructor(
    private readonly root: string,
    private readonly deadLetters: DeadLetterStore,
  ) {}

  private path(target: string, partition: string): string {
    return join(this.root, ...target.split('/'), `${partition}.json`);
  }

  read(target: string, partition: string): Promise<LedgerEntry | undefined> {
    return readJsonFile<LedgerEntry>(this.path(target, partition));
  }

  write(target: string, partition: string, entry: LedgerEntry): Promise<void> {
    return writeJsonAtomic(this.path(target, partition), entry);
  }

  /** Two files: the letters first, so a crash between leaves a letter kept twice, never one lost. */
  async advance(target: string, partition: string, entry: LedgerEntry, letters: readonly DeadLetter[]) {
    if (letters.length) await this.deadLetters.put(letters);
    await this.write(target, partition, entry);
  }

  async settleReplay(target: string, uniqueIds: readonly string[]): Promise<void> {
    await this.deadLetters.remove(target, uniqueIds);
    await this.addReplayed(target, uniqueIds.length);
  }

  private replayedPath(target: string): string {
    return join(this.root, ...target.split('/'), REPLAYED);
  }

  /** Counts dead letters of `target` a replay got accepted: delivered, though past the ledger of their partition. */
  private async addReplayed(target: string, n: number): Promise<void> {
    if (n <= 0) return;
    await writeJsonAtomic(this.replayedPath(target), { replayed: (await this.replayed(target)) + n });
  }

  private async replayed(target: string): Promise<number> {
    return (await readJsonFile<{ replayed: number }>(this.replayedPath(target)))?.replayed ?? 0;
  }

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
