import type { Pool, PoolClient } from 'pg';
import type { DeliveryLedger, LedgerEntry, LedgerTotals } from '../contract';
import type { DeadLetter, DeadLetterStore } from '../dead-letters';
import { outboxTarget } from '../names';
import { SCHEMA } from './migrations';
import { inTransaction } from './tx';

type Queryable = Pick<PoolClient, 'query'>;

/** Dead letters in `dead_letters`, one row per (target, uniqueId), a later refusal replacing an earlier one. */
export class PgDeadLetterStore implements DeadLetterStore {
  constructor(private readonly pool: Pool) {}

  put(letters: readonly DeadLetter[]): Promise<void> {
    return putLetters(this.pool, letters);
  }

  async list(target: string): Promise<DeadLetter[]> {
    const { rows } = await this.pool.query<{
      target: string;
      partition: string;
      resource: DeadLetter['resource'];
      unique_id: string;
      message: DeadLetter['message'];
      error: DeadLetter['error'];
      at: Date;
    }>(
      `SELECT target, partition, resource, unique_id, message, error, at FROM ${SCHEMA}.dead_letters
       WHERE target = ANY($1) ORDER BY target, at, unique_id`,
      [[target, outboxTarget(target)]],
    );
    return rows.map((r) => ({
      target: r.target,
      partition: r.partition,
      resource: r.resource,
      uniqueId: r.unique_id,
      message: r.message,
      error: r.error,
      at: r.at.toISOString(),
    }));
  }

  async remove(target: string, uniqueIds: readonly string[]): Promise<void> {
    await this.pool.query(`DELETE FROM ${SCHEMA}.dead_letters WHERE target = $1 AND unique_id = ANY($2)`, [
      target,
      [...uniqueIds],
    ]);
  }
}

async function putLetters(db: Queryable, letters: readonly DeadLetter[]): Promise<void> {
  // One row per key in a statement: the last refusal of a uniqueId wins, as in the file store.
  const latest = [...new Map(letters.map((l) => [`${l.target}\u0000${l.uniqueId}`, l])).values()];
  if (latest.length === 0) return;
  await db.query(
    `INSERT INTO ${SCHEMA}.dead_letters (target, unique_id, partition, resource, message, error, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[])
     ON CONFLICT (target, unique_id) DO UPDATE SET partition = excluded.partition, resource = excluded.resource,
       message = excluded.message, error = excluded.error, at = excluded.at`,
    [
      latest.map((l) => l.target),
      latest.map((l) => l.uniqueId),
      latest.map((l) => l.partition),
      latest.map((l) => l.resource),
      latest.map((l) => JSON.stringify(l.message)),
      latest.map((l) => JSON.stringify(l.error)),
      latest.map((l) => l.at),
    ],
  );
}

async function writeEntry(db: Queryable, target: string, partition: string, entry: LedgerEntry): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.deliveries (target, partition, content_hash, acked, rejected, total, delivered_before)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (target, partition) DO UPDATE SET content_hash = excluded.content_hash, acked = excluded.acked,
       rejected = excluded.rejected, total = excluded.total, delivered_before = excluded.delivered_before,
       updated_at = now()`,
    [
      target,
      partition,
      entry.contentHash,
      entry.acked,
      entry.rejected,
      entry.total ?? null,
      entry.deliveredBefore ?? 0,
    ],
  );
}

/** The delivery ledger in `deliveries` (and `replays`); a batch's entry and its dead letters commit together. */
export class PgDeliveryLedger implements DeliveryLedger {
  constructor(private readonly pool: Pool) {}

  async read(target: string, partition: string): Promise<LedgerEntry | undefined> {
    const { rows } = await this.pool.query<{
      content_hash: string;
      acked: number;
      rejected: number;
      total: number | null;
      delivered_before: number;
    }>(
      `SELECT content_hash, acked, rejected, total, delivered_before FROM ${SCHEMA}.deliveries
       WHERE target = $1 AND partition = $2`,
      [target, partition],
    );
    const row = rows[0];
    if (!row) return undefined;
    const entry: LedgerEntry = {
      contentHash: row.content_hash,
      acked: row.acked,
      rejected: row.rejected,
      deliveredBefore: row.delivered_before,
    };
    if (row.total !== null) entry.total = row.total;
    return entry;
  }

  write(target: string, partition: string, entry: LedgerEntry): Promise<void> {
    return writeEntry(this.pool, target, partition, entry);
  }

  advance(target: string, partition: string, entry: LedgerEntry, letters: readonly DeadLetter[]): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await putLetters(client, letters);
      await writeEntry(client, target, partition, entry);
    });
  }

  settleReplay(target: string, uniqueIds: readonly string[]): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      const gone = await client.query(`DELETE FROM ${SCHEMA}.dead_letters WHERE target = $1 AND unique_id = ANY($2)`, [
        target,
        [...uniqueIds],
      ]);
      // Counts only the letters this call removed, so a replay settled twice is counted once.
      const n = gone.rowCount ?? 0;
      if (n === 0) return;
      await client.query(
        `INSERT INTO ${SCHEMA}.replays (target, replayed) VALUES ($1, $2)
         ON CONFLICT (target) DO UPDATE SET replayed = ${SCHEMA}.replays.replayed + excluded.replayed`,
        [target, n],
      );
    });
  }

  async totals(target: string): Promise<LedgerTotals> {
    const [entries, replays] = await Promise.all([
      this.pool.query<{ partition: string; delivered: number; pending: number }>(
        `SELECT partition, delivered_before + acked - rejected AS delivered,
           greatest(0, coalesce(total, acked) - acked) AS pending
         FROM ${SCHEMA}.deliveries WHERE target = $1`,
        [target],
      ),
      this.pool.query<{ replayed: number }>(`SELECT replayed FROM ${SCHEMA}.replays WHERE target = $1`, [target]),
    ]);
    const sum: LedgerTotals = { delivered: replays.rows[0]?.replayed ?? 0, pending: 0, partitions: new Set() };
    for (const row of entries.rows) {
      sum.partitions.add(row.partition);
      sum.delivered += row.delivered;
      sum.pending += row.pending;
    }
    return sum;
  }
}
