import type { Pool, PoolClient } from 'pg';
import type { CommittedCursor } from '../../workflows/capture/activity-types';
import type { Collections, PartitionWriter } from '../contract';
import { checkCollectionName } from '../names';
import { SCHEMA } from './migrations';
import { PgPartitionWriter } from './partition-writer';
import { inTransaction } from './tx';

/** Rows per read; reads are keyset-paged on (partition, position), so memory stays flat and no connection is held. */
const READ_ROWS = 1000;
const STALE_STAGED = '1 hour';

/**
 * Keyed collections in PostgreSQL: `documents` holds one row per (collection, key), with its partition and its
 * position in the partition; `partitions` lists each collection's partitions, and its row is the lock that
 * serializes writers of one partition.
 */
export class PgCollections implements Collections {
  constructor(
    private readonly pool: Pool,
    private readonly where: string,
  ) {}

  describe(target: string): string {
    return `${target} in ${this.where}`;
  }

  async openPartition(target: string, partition: string): Promise<PartitionWriter> {
    checkCollectionName(target);
    return new PgPartitionWriter(this.pool, target, partition, (writer) => this.commitPartitions([writer]));
  }

  /** One transaction for all the writers; partition locks are taken in name order, so commits never deadlock. */
  async commitPartitions(writers: readonly PartitionWriter[]): Promise<void> {
    const mine = writers.map((w) => {
      if (!(w instanceof PgPartitionWriter)) throw new Error('a PostgreSQL store commits only its own writers');
      return w;
    });
    for (const writer of mine) await writer.seal();
    const ordered = [...mine].sort((a, b) => order(a).localeCompare(order(b)));
    await inTransaction(this.pool, async (client) => {
      for (const writer of ordered) await replacePartition(client, writer);
    });
    for (const writer of mine) writer.settle();
  }

  async removePartition(target: string, partition: string): Promise<boolean> {
    checkCollectionName(target);
    return inTransaction(this.pool, async (client) => {
      const gone = await client.query(
        `DELETE FROM ${SCHEMA}.partitions WHERE collection = $1 AND partition = $2 RETURNING documents`,
        [target, partition],
      );
      await client.query(`DELETE FROM ${SCHEMA}.documents WHERE collection = $1 AND partition = $2`, [
        target,
        partition,
      ]);
      return (gone.rowCount ?? 0) > 0;
    });
  }

  async partitions(target: string): Promise<string[]> {
    checkCollectionName(target);
    const { rows } = await this.pool.query<{ partition: string }>(
      `SELECT partition FROM ${SCHEMA}.partitions WHERE collection = $1 ORDER BY partition`,
      [target],
    );
    return rows.map((r) => r.partition);
  }

  async countPartition(target: string, partition: string): Promise<number> {
    checkCollectionName(target);
    const { rows } = await this.pool.query<{ documents: number }>(
      `SELECT documents FROM ${SCHEMA}.partitions WHERE collection = $1 AND partition = $2`,
      [target, partition],
    );
    return rows[0]?.documents ?? 0;
  }

  /** Every commit rewrites the partition's row (a new `xmin`) and stamps it. */
  async partitionVersion(target: string, partition: string): Promise<string | null> {
    checkCollectionName(target);
    const { rows } = await this.pool.query<{ v: string }>(
      `SELECT xmin::text || ':' || (extract(epoch FROM committed_at) * 1000000)::bigint AS v
       FROM ${SCHEMA}.partitions WHERE collection = $1 AND partition = $2`,
      [target, partition],
    );
    return rows[0]?.v ?? null;
  }

  async *readPartition(target: string, partition: string): AsyncGenerator<Record<string, unknown>> {
    for await (const line of this.partitionLines(target, partition)) yield JSON.parse(line) as Record<string, unknown>;
  }

  async *partitionLines(target: string, partition: string): AsyncGenerator<string> {
    checkCollectionName(target);
    let after = -1;
    for (;;) {
      const { rows } = await this.pool.query<{ position: number; line: string }>(
        `SELECT position, doc::text AS line FROM ${SCHEMA}.documents
         WHERE collection = $1 AND partition = $2 AND position > $3 ORDER BY position LIMIT ${READ_ROWS}`,
        [target, partition, after],
      );
      for (const row of rows) yield row.line;
      if (rows.length < READ_ROWS) return;
      after = (rows[rows.length - 1] as { position: number }).position;
    }
  }

  async *lines(target: string): AsyncGenerator<string> {
    for (const partition of await this.partitions(target)) yield* this.partitionLines(target, partition);
  }

  async writeCursor(target: string, cursor: CommittedCursor): Promise<void> {
    checkCollectionName(target);
    await this.pool.query(
      `INSERT INTO ${SCHEMA}.cursors (collection, start_ms, cursor_ms) VALUES ($1, $2, $3)
       ON CONFLICT (collection) DO UPDATE
       SET start_ms = excluded.start_ms, cursor_ms = excluded.cursor_ms, committed_at = now()`,
      [target, cursor.startMs, cursor.cursorMs],
    );
  }

  async readCursor(target: string): Promise<CommittedCursor | null> {
    checkCollectionName(target);
    const { rows } = await this.pool.query<{ start_ms: string; cursor_ms: string }>(
      `SELECT start_ms, cursor_ms FROM ${SCHEMA}.cursors WHERE collection = $1`,
      [target],
    );
    const row = rows[0];
    return row ? { startMs: Number(row.start_ms), cursorMs: Number(row.cursor_ms) } : null;
  }

  async drop(target: string): Promise<void> {
    checkCollectionName(target);
    const under = `collection = $1 OR left(collection, length($1) + 1) = $1 || '/'`;
    await inTransaction(this.pool, async (client) => {
      for (const table of ['partitions', 'documents', 'cursors'])
        await client.query(`DELETE FROM ${SCHEMA}.${table} WHERE ${under}`, [target]);
    });
  }

  /** Drops rows of writers that never committed nor aborted (their worker died), once they are an hour old. */
  async sweepStaged(): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM ${SCHEMA}.staged_documents WHERE staged_at < now() - interval '${STALE_STAGED}'`,
    );
    return r.rowCount ?? 0;
  }
}

const order = (w: PartitionWriter) => `${w.target}\u0000${w.partition}`;

/**
 * Merges a writer's staged rows into its partition: rows whose content changed are updated (their `changed_at`
 * with them), new keys inserted, keys no longer there deleted. The upsert on the partition's row locks it first,
 * so two writers of one partition commit one after the other and the result is one of them, whole.
 */
async function replacePartition(client: PoolClient, writer: PgPartitionWriter): Promise<void> {
  const { target, partition, id } = writer;
  const locked = await client.query<{ created: boolean }>(
    `INSERT INTO ${SCHEMA}.partitions (collection, partition, documents) VALUES ($1, $2, $3)
     ON CONFLICT (collection, partition) DO UPDATE SET documents = excluded.documents, committed_at = now()
     RETURNING (xmax = 0) AS created`,
    [target, partition, writer.documents],
  );
  // A partition new to the collection has no old rows to delete (a backfill's common case).
  const fresh = locked.rows[0]?.created === true;
  const staged = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${SCHEMA}.staged_documents WHERE writer_id = $1`,
    [id],
  );
  if (Number(staged.rows[0]?.n) !== writer.staged) {
    throw new Error(
      `partition ${partition} of ${target}: ${writer.staged} staged rows were written but ` +
        `${staged.rows[0]?.n ?? 0} remain (swept or lost in a server restart); nothing is replaced and the step is redone`,
    );
  }
  try {
    await client.query(
      `INSERT INTO ${SCHEMA}.documents AS d (collection, doc_key, partition, position, doc)
       SELECT $1, doc_key, $2, position, doc FROM ${SCHEMA}.staged_documents WHERE writer_id = $3
       ON CONFLICT (collection, doc_key) DO UPDATE
       SET partition = excluded.partition, position = excluded.position, doc = excluded.doc,
           changed_at = CASE WHEN d.doc = excluded.doc THEN d.changed_at ELSE now() END
       WHERE d.partition <> excluded.partition OR d.position <> excluded.position OR d.doc <> excluded.doc`,
      [target, partition, id],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '21000') {
      throw new Error(`partition ${partition} of ${target} was written with one key twice; nothing is replaced`);
    }
    throw err;
  }
  if (!fresh) {
    await client.query(
      `DELETE FROM ${SCHEMA}.documents AS d WHERE d.collection = $1 AND d.partition = $2 AND NOT EXISTS
       (SELECT 1 FROM ${SCHEMA}.staged_documents s WHERE s.writer_id = $3 AND s.doc_key = d.doc_key)`,
      [target, partition, id],
    );
  }
  await client.query(`DELETE FROM ${SCHEMA}.staged_documents WHERE writer_id = $1`, [id]);
}
