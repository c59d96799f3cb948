import { join } from 'node:path';
import type { RuntimeConfig } from '../../../config/runtime';
import { LocalCollections } from '../../../sinks/collections';

/** `pendoflow collections export <capture>/<Resource>`: the current documents as JSONL, one per key. */
export async function exportCommand(collection: string, runtime: RuntimeConfig): Promise<number> {
  const collections = new LocalCollections(join(runtime.dataDir, 'collections'));
  const partitions = await collections.partitions(collection);
  if (partitions.length === 0) {
    console.error(
      `no collection ${collection} under ${collections.dir(collection)} (set PENDOFLOW_DATA_DIR to the worker's data folder)`,
    );
    return 1;
  }
  for await (const line of collections.lines(collection)) {
    if (!process.stdout.write(line + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  }
  return 0;
}
