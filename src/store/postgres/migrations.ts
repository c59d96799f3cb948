import type { Pool, PoolClient } from 'pg';

/** Serializes migrations between workers that start at once: one takes the lock, the others wait, then see its work. */
const MIGRATION_LOCK = 0x70656e646f; // 'pendo'

export const SCHEMA = 'pendoflow';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Versioned and append-only: a released migration never changes; a change of schema is a new version.
 * Text columns are COLLATE "C" so partitions sort as names do in JavaScript (hours in time order).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'collections, cursors, deliveries and dead letters',
    sql: `
      CREATE TABLE ${SCHEMA}.documents (
        collection text COLLATE "C" NOT NULL,
        doc_key text COLLATE "C" NOT NULL,
        partition text COLLATE "C" NOT NULL,
        position integer NOT NULL,
        doc jsonb NOT NULL,
        -- When this key's content last changed (a rewrite with the same content keeps it).
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (collection, doc_key)
      );
      CREATE INDEX documents_partition_order ON ${SCHEMA}.documents (collection, partition, position);
      CREATE TABLE ${SCHEMA}.partitions (
        collection text COLLATE "C" NOT NULL,
        partition text COLLATE "C" NOT NULL,
        documents integer NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (collection, partition)
      );
      -- Writers' rows before their commit; unlogged, as a server crash only loses writes not yet committed.
      CREATE UNLOGGED TABLE ${SCHEMA}.staged_documents (
        writer_id text COLLATE "C" NOT NULL,
        position integer NOT NULL,
        doc_key text COLLATE "C" NOT NULL,
        doc jsonb NOT NULL,
        staged_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (writer_id, position)
      );
      CREATE INDEX staged_documents_key ON ${SCHEMA}.staged_documents (writer_id, doc_key);
      CREATE TABLE ${SCHEMA}.cursors (
        collection text COLLATE "C" PRIMARY KEY,
        start_ms bigint NOT NULL,
        cursor_ms bigint NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${SCHEMA}.deliveries (
        target text COLLATE "C" NOT NULL,
        partition text COLLATE "C" NOT NULL,
        content_hash text NOT NULL,
        acked integer NOT NULL,
        rejected integer NOT NULL,
        total integer,
        delivered_before integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (target, partition)
      );
      CREATE TABLE ${SCHEMA}.replays (
        target text COLLATE "C" PRIMARY KEY,
        replayed integer NOT NULL
      );
      CREATE TABLE ${SCHEMA}.dead_letters (
        target text COLLATE "C" NOT NULL,
        unique_id text COLLATE "C" NOT NULL,
        partition text COLLATE "C" NOT NULL,
        resource text NOT NULL,
        message jsonb NOT NULL,
        error jsonb NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (target, unique_id)
      );
    `,
  },
];

/**
 * Brings the schema to the latest version, each migration in its own transaction, under an advisory lock held
 * by one session at a time. Returns the versions this call applied (none when another worker got there first).
 */
export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await applyPending(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: PoolClient): Promise<number[]> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
       version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA}.schema_migrations`);
  const done = new Set(rows.map((r) => r.version));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`PostgreSQL store: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
    applied.push(m.version);
  }
  return applied;
}
