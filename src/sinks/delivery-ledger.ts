import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** How far a partition's delivery got: messages acknowledged, in file order, for one version of its content. */
export interface LedgerEntry {
  contentHash: string;
  acked: number;
  rejected: number;
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

  async read(target: string, partition: string): Promise<LedgerEntry | undefined> {
    try {
      return JSON.parse(await readFile(this.path(target, partition), 'utf8')) as LedgerEntry;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async write(target: string, partition: string, entry: LedgerEntry): Promise<void> {
    const path = this.path(target, partition);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(entry));
    await rename(tmp, path);
  }
}
