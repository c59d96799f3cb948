import { Pool } from 'pg';
import type { Store } from '../contract';
import { PgCollections } from './collections';
import { PgDeadLetterStore, PgDeliveryLedger } from './delivery';
import { migrate, SCHEMA } from './migrations';
import { maskStoreUrl } from './url';

export interface PostgresStoreOptions {
  /** Apply pending migrations first (a worker does; the CLI only reads). */
  migrate?: boolean;
  /** Connections in the pool (10 by default). */
  maxConnections?: number;
}

/**
 * The shared store: every worker on every machine reads and writes the same collections, snapshots, outboxes,
 * ledger and dead letters. Opening it checks the connection, so a wrong URL fails here, by name.
 */
export async function postgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const where = maskStoreUrl(url);
  const pool = new Pool({ connectionString: url, max: opts.maxConnections ?? 10, application_name: 'pendoflow' });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    if (opts.migrate) await migrate(pool);
    else {
      const { rows } = await pool.query<{ table: string | null }>(`SELECT to_regclass('${SCHEMA}.documents') AS table`);
      if (!rows[0]?.table) throw new Error(`holds no ${SCHEMA} tables yet (a worker creates them when it starts)`);
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL store ${where}: ${(err as Error).message}`);
  }
  const collections = new PgCollections(pool, where);
  if (opts.migrate) await collections.sweepStaged();
  return {
    kind: 'postgres',
    where,
    collections,
    ledger: new PgDeliveryLedger(pool),
    deadLetters: new PgDeadLetterStore(pool),
    close: () => pool.end(),
  };
}
