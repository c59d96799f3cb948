import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWindowFor } from './runs';
import { snapshotOf, storeFrom, type StoreSnapshot } from './snapshot';
import { Store, type StoredRecord } from './store';

const SNAPSHOT = 'state.json';
const RECORDS = 'records.jsonl';

interface RecordLine {
  sandbox: string;
  record: StoredRecord;
}

const line = (sandbox: string, record: StoredRecord): string => `${JSON.stringify({ sandbox, record })}\n`;

/** Writes a whole file so that a reader sees the old content or the new, never half of it. */
function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/**
 * The emulator's state on disk, in `dir`: `state.json`, a snapshot of every entity (rewritten, atomically, only
 * when it changed), and `records.jsonl`, the inlet records, appended as they arrive. A request therefore costs
 * the size of the entities plus its own records, however many records were received before.
 */
export class StateFiles {
  private lastSnapshot = '';
  /** Per sandbox and flow: the record list last saved and how many of it are on disk. */
  private saved = new Map<string, { list: StoredRecord[]; count: number }>();

  private constructor(
    private readonly dir: string,
    readonly store: Store,
  ) {}

  /** Loads the state in `dir` (created when missing); an empty store when there is none yet. */
  static open(dir: string): StateFiles {
    mkdirSync(dir, { recursive: true });
    const snapshotFile = join(dir, SNAPSHOT);
    let store = new Store();
    let text = '';
    if (existsSync(snapshotFile)) {
      text = readFileSync(snapshotFile, 'utf8');
      let parsed: StoreSnapshot;
      try {
        parsed = JSON.parse(text) as StoreSnapshot;
      } catch (err) {
        throw new Error(`${snapshotFile}: cannot read the AEP emulator state (${(err as Error).message})`);
      }
      store = storeFrom(parsed, snapshotFile);
    }
    const files = new StateFiles(dir, store);
    files.lastSnapshot = text;
    files.loadRecords();
    return files;
  }

  private loadRecords(): void {
    const file = join(this.dir, RECORDS);
    if (!existsSync(file)) return;
    const content = readFileSync(file, 'utf8');
    const lines = content.split('\n');
    lines.forEach((text, i) => {
      if (!text) return;
      let parsed: RecordLine;
      try {
        parsed = JSON.parse(text) as RecordLine;
      } catch (err) {
        // A process killed mid-append leaves a partial last line; anything else is damage worth stopping for.
        if (i === lines.length - 1) return;
        throw new Error(`${file}:${i + 1}: cannot read an inlet record (${(err as Error).message})`);
      }
      const sb = this.store.sandbox(parsed.sandbox);
      const list = sb.records.get(parsed.record.flowId) ?? [];
      list.push(parsed.record);
      sb.records.set(parsed.record.flowId, list);
      runWindowFor(sb, parsed.record.flowId, parsed.record.receivedTimeMs);
    });
    this.markSaved();
    // Drops a partial last line, so that appends start on a line of their own.
    if (content && !content.endsWith('\n')) writeAtomic(file, this.allRecordLines());
  }

  /** Saves what changed since the last call: new inlet records are appended, the snapshot is replaced if it differs. */
  save(): void {
    const file = join(this.dir, RECORDS);
    const appends: string[] = [];
    let rewrite = false;
    const seen = new Set<string>();
    for (const sb of this.store.sandboxes.values()) {
      for (const [flowId, list] of sb.records) {
        const key = `${sb.name}\u0000${flowId}`;
        seen.add(key);
        const before = this.saved.get(key);
        if (before && (before.list !== list || before.count > list.length)) rewrite = true;
        for (let i = before?.count ?? 0; i < list.length; i++) appends.push(line(sb.name, list[i] as StoredRecord));
      }
    }
    // A reset or a vanished sandbox drops records: the log is written again from what is left.
    if (rewrite || [...this.saved.keys()].some((k) => !seen.has(k))) writeAtomic(file, this.allRecordLines());
    else if (appends.length > 0) appendFileSync(file, appends.join(''));
    this.markSaved();

    const text = JSON.stringify(snapshotOf(this.store, Date.now()));
    if (text !== this.lastSnapshot) {
      writeAtomic(join(this.dir, SNAPSHOT), text);
      this.lastSnapshot = text;
    }
  }

  private allRecordLines(): string {
    return [...this.store.sandboxes.values()]
      .flatMap((sb) => [...sb.records.values()].flatMap((list) => list.map((r) => line(sb.name, r))))
      .join('');
  }

  private markSaved(): void {
    this.saved.clear();
    for (const sb of this.store.sandboxes.values()) {
      for (const [flowId, list] of sb.records)
        this.saved.set(`${sb.name}\u0000${flowId}`, { list, count: list.length });
    }
  }
}
