import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Documents on disk under a collections folder: the lines of every committed `.jsonl` partition. */
export async function countDocuments(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    for await (const chunk of createReadStream(join(entry.parentPath, entry.name))) {
      for (let i = (chunk as Buffer).indexOf(0x0a); i !== -1; i = (chunk as Buffer).indexOf(0x0a, i + 1)) n++;
    }
  }
  return n;
}
