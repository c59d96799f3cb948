import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { historyFromJson } from '../helpers/history-json';
import type { RecordedHistory } from '../helpers/record-histories';

export const HISTORIES_DIR = join(__dirname, 'histories');

/** A recorded history with where it came from, so a failure names the file and the workflow. */
export interface Fixture extends RecordedHistory {
  /** The file, relative to test/replay/histories. */
  path: string;
  history: temporal.api.history.v1.IHistory;
}

function indexFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...indexFiles(path));
    else if (entry.name === 'index.json') found.push(path);
  }
  return found.sort();
}

/** Every fixture listed by an `index.json` under `root` (one per recording), read and parsed. */
export function loadFixtures(root = HISTORIES_DIR): Fixture[] {
  return indexFiles(root).flatMap((index) => {
    const dir = join(index, '..');
    const entries = JSON.parse(readFileSync(index, 'utf8')) as RecordedHistory[];
    return entries.map((entry) => {
      const path = relative(root, join(dir, entry.file));
      const where = `replay fixture ${path} (listed in ${relative(root, index)})`;
      return { ...entry, path, history: historyFromJson(readFileSync(join(dir, entry.file), 'utf8'), where) };
    });
  });
}
