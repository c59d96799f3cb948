import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import type { CommittedCursor } from '../workflows/capture/activity-types';
import type { Collections, PartitionWriter } from './contract';
import { writeJsonAtomic } from './json-file';
import { FilePartitionWriter } from './file-partition-writer';
import { checkCollectionName } from './names';

export { hourPartition, outboxTarget, SNAPSHOT_PARTITION } from './names';

const SUFFIX = '.jsonl';
const STALE_TMP_MS = 60 * 60_000;
const NEWLINE = 0x0a;
const CURSOR_FILE = '_cursor.json';

/**
 * Keyed collections on local disk: `<root>/<target>/<partition>.jsonl`, one JSON document per line.
 * Every document of a key lives in exactly one partition, so replacing a partition replaces those documents,
 * and a collection never holds two documents of one key.
 */
export class LocalCollections implements Collections {
  constructor(readonly root: string) {}

  describe(target: string): string {
    return this.dir(target);
  }

  dir(target: string): string {
    checkCollectionName(target);
    return join(this.root, ...target.split('/'));
  }

  async openPartition(target: string, partition: string): Promise<PartitionWriter> {
    const dir = this.dir(target);
    await mkdir(dir, { recursive: true });
    const final = join(dir, partition + SUFFIX);
    const tmp = `${final}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    return new FilePartitionWriter(target, partition, final, tmp);
  }

  /**
   * Renames the writers' files in the order given. Two renames are not one step: a crash between them leaves the
   * first new and the rest old, so callers order them to be safe to redo (an outbox before its snapshot).
   */
  async commitPartitions(writers: readonly PartitionWriter[]): Promise<void> {
    for (const writer of writers) await writer.seal();
    for (const writer of writers) await writer.commit();
  }

  async removePartition(target: string, partition: string): Promise<boolean> {
    try {
      await unlink(join(this.dir(target), partition + SUFFIX));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Partition names in order, skipping temporary files (and removing stale ones). */
  async partitions(target: string): Promise<string[]> {
    const dir = this.dir(target);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const now = Date.now();
    for (const name of names.filter((n) => n.endsWith('.tmp'))) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_TMP_MS) await unlink(join(dir, name)).catch(() => undefined);
    }
    return names
      .filter((n) => n.endsWith(SUFFIX))
      .map((n) => n.slice(0, -SUFFIX.length))
      .sort();
  }

  /** How many documents a partition holds (0 when it does not exist), counted as the file streams by. */
  async countPartition(target: string, partition: string): Promise<number> {
    const input = createReadStream(join(this.dir(target), partition + SUFFIX), { highWaterMark: 256 * 1024 });
    let lines = 0;
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    return lines;
  }

  /** A commit renames a new file over the partition, so its inode (with its size and write time) names the version. */
  async partitionVersion(target: string, partition: string): Promise<string | null> {
    try {
      const info = await stat(join(this.dir(target), partition + SUFFIX), { bigint: true });
      return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async *readPartition(target: string, partition: string): AsyncGenerator<Record<string, unknown>> {
    for await (const line of this.partitionLines(target, partition)) yield JSON.parse(line) as Record<string, unknown>;
  }

  /** Every current document of a collection, as JSONL lines. */
  async *lines(target: string): AsyncGenerator<string> {
    for (const partition of await this.partitions(target)) yield* this.partitionLines(target, partition);
  }

  /**
   * Records how far a collection's hours are complete. It lives beside the partitions it vouches for, so the two
   * are kept, copied or removed together; written by rename, so a crash leaves the old record or the new.
   */
  writeCursor(target: string, cursor: CommittedCursor): Promise<void> {
    return writeJsonAtomic(join(this.dir(target), CURSOR_FILE), cursor);
  }

  /** The last cursor written, or null when there is none (or it is unreadable: the hours are then read again). */
  async readCursor(target: string): Promise<CommittedCursor | null> {
    let text: string;
    try {
      text = await readFile(join(this.dir(target), CURSOR_FILE), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const c = JSON.parse(text) as Partial<CommittedCursor>;
      return Number.isSafeInteger(c.startMs) && Number.isSafeInteger(c.cursorMs) ? (c as CommittedCursor) : null;
    } catch {
      return null;
    }
  }

  async drop(target: string): Promise<void> {
    await rm(this.dir(target), { recursive: true, force: true });
  }

  async *partitionLines(target: string, partition: string): AsyncGenerator<string> {
    const path = join(this.dir(target), partition + SUFFIX);
    const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
    const missing = new Promise<boolean>((resolve) => {
      input.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ENOENT'));
      input.once('open', () => resolve(false));
    });
    if (await missing) return;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line) yield line;
  }
}
