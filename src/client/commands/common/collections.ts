import type { RuntimeConfig } from '../../../config/runtime';
import { openStore } from '../../../store/open-store';

/**
 * `pendoflow collections export <capture>/<Resource>`: the current documents as JSONL, one per key, from the
 * store the runtime config names (PENDOFLOW_STORE, else the local files under PENDOFLOW_DATA_DIR).
 */
export async function exportCommand(collection: string, runtime: RuntimeConfig): Promise<number> {
  const store = await openStore(runtime);
  try {
    const partitions = await store.collections.partitions(collection);
    if (partitions.length === 0) {
      const hint =
        store.kind === 'files'
          ? "set PENDOFLOW_DATA_DIR to the worker's data folder, or PENDOFLOW_STORE to the workers' PostgreSQL store"
          : "set PENDOFLOW_STORE to the workers' store";
      console.error(`no collection ${store.collections.describe(collection)} (${hint})`);
      return 1;
    }
    for await (const line of store.collections.lines(collection)) {
      if (!process.stdout.write(line + '\n')) await new Promise((r) => process.stdout.once('drain', r));
    }
    return 0;
  } finally {
    await store.close();
  }
}
