import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import type { PartitionWriter } from './contract';

const FLUSH_BYTES = 256 * 1024;

/**
 * Writes one partition of a collection to a private temporary file, then renames it over the old one.
 * Readers see the old content or the new, never a mix; a crash leaves only a stray temporary file.
 */
export class FilePartitionWriter implements PartitionWriter {
  private readonly out: WriteStream;
  private buffer = '';
  private count = 0;
  private failure: Error | undefined;

  constructor(
    readonly target: string,
    readonly partition: string,
    private readonly finalPath: string,
    private readonly tmpPath: string,
  ) {
    this.out = createWriteStream(tmpPath, { flags: 'w', highWaterMark: FLUSH_BYTES });
    this.out.on('error', (err) => (this.failure = err));
  }

  get documents(): number {
    return this.count;
  }

  /** Buffers a document (its key is the caller's to keep unique); returns a promise when the buffer must drain. */
  write(doc: unknown, _key?: string): Promise<void> | undefined {
    this.buffer += JSON.stringify(doc) + '\n';
    this.count++;
    return this.buffer.length >= FLUSH_BYTES ? this.flush() : undefined;
  }

  /** Writes out and closes the temporary file, so it can be committed or aborted later; returns the count. */
  async seal(): Promise<number> {
    if (!this.out.closed) {
      await this.flush();
      this.out.end();
      await once(this.out, 'close');
    }
    if (this.failure) throw this.failure;
    return this.count;
  }

  /** Makes the new content visible; returns the number of documents. */
  async commit(): Promise<number> {
    await this.seal();
    await rename(this.tmpPath, this.finalPath);
    return this.count;
  }

  async abort(): Promise<void> {
    if (!this.out.closed) {
      const closed = once(this.out, 'close');
      this.out.destroy();
      await closed;
    }
    await unlink(this.tmpPath).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.buffer) return;
    const ok = this.out.write(this.buffer);
    this.buffer = '';
    if (!ok) await once(this.out, 'drain');
  }
}
