import type { Store } from './contract';
import { localStore } from './local-store';
import { postgresStore } from './postgres/store';

/**
 * The store a runtime config names: PostgreSQL when `store` is a postgres:// URL (workers on several machines),
 * else local files under the data folder (one machine, or one shared volume).
 */
export function openStore(
  config: { store?: string | undefined; dataDir: string },
  opts: { migrate?: boolean } = {},
): Promise<Store> {
  if (config.store) return postgresStore(config.store, opts);
  return Promise.resolve(localStore(config.dataDir));
}
