import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { PartitionWriter } from '../contract';
import { SCHEMA } from './migrations';

/** Rows per INSERT; one statement of three arrays, whatever the count. */
const BATCH_ROWS = 1000;
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * Stages one partition's new content in `staged_documents`, in multi-row inserts as it is written; the commit
 * (see PgCollections.commitPartitions) moves it into `documents` in one transaction. A crash before the commit
 * leaves only staged rows, which are swept when stale.
 */
export class PgPartitionWriter implements PartitionWriter {
  readonly id = randomBytes(12).toString('base64url');
  private count = 0;
  private flushed = 0;
  private keys: string[] = [];
  private docs: string[] = [];
  private chars = 0;
  private settled = false;

  constructor(
    private readonly pool: Pool,
    readonly target: string,
    readonly partition: string,
    private readonly commitOne: (writer: PgPartitionWriter) => Promise<void>,
  ) {}

  get documents(): number {
    return this.count;
  }

  /** Rows this writer put in `staged_documents`. */
  get staged(): number {
    return this.flushed;
  }

  write(doc: unknown, key: string): Promise<void> | undefined {
    if (this.settled) throw new Error(`partition ${this.partition} of ${this.target} was already committed or aborted`);
    const text = JSON.stringify(doc);
    this.keys.push(key);
    this.docs.push(text);
    this.chars += text.length;
    this.count++;
    return this.keys.length >= BATCH_ROWS || this.chars >= BATCH_CHARS ? this.flush() : undefined;
  }

  async seal(): Promise<number> {
    await this.flush();
    return this.count;
  }

  async commit(): Promise<number> {
    await this.commitOne(this);
    return this.count;
  }

  /** Marks the writer done once its commit went through. */
  settle(): void {
    this.settled = true;
  }

  async abort(): Promise<void> {
    this.settled = true;
    this.keys = [];
    this.docs = [];
    await this.pool.query(`DELETE FROM ${SCHEMA}.staged_documents WHERE writer_id = $1`, [this.id]);
  }

  private async flush(): Promise<void> {
    if (this.keys.length === 0) return;
    const first = this.flushed;
    const positions = this.keys.map((_key, index) => first + index);
    const keys = this.keys;
    const docs = this.docs;
    this.keys = [];
    this.docs = [];
    this.chars = 0;
    await this.pool.query(
      `INSERT INTO ${SCHEMA}.staged_documents (writer_id, position, doc_key, doc)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::jsonb[])`,
      [this.id, positions, keys, docs],
    );
    this.flushed += keys.length;
  }
}
