/** A bounded LRU of the sorted source rows of event windows, so a page costs O(log n + page), not a sort. */
import type { Row } from './expressions';

/** The span of `now` over which a window's visible rows stay the same: [from, until). */
export interface Validity {
  from: number;
  until: number;
}

export function openValidity(): Validity {
  return { from: -Infinity, until: Infinity };
}

/** Records an instant at which visibility flips (visible once `now >= t`). */
export function noteFlip(v: Validity, now: number, t: number): void {
  if (t <= now) {
    if (t > v.from) v.from = t;
  } else if (t < v.until) v.until = t;
}

interface Entry {
  rows: Row[];
  source: string;
  /** Instants the window's buckets cover: [start, end). */
  start: number;
  end: number;
  validity: Validity;
}

/** Default bound: holds one 1,000,000-row hour with room for late rows. */
export const DEFAULT_WINDOW_CACHE_ROWS = 1_200_000;

export class WindowCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  /** `maxRows` bounds the rows held over all windows; a window larger than it is never cached; 0 turns caching off. */
  constructor(readonly maxRows: number = DEFAULT_WINDOW_CACHE_ROWS) {
    if (!Number.isSafeInteger(maxRows) || maxRows < 0) throw new Error('windowCacheRows must be a whole number >= 0');
  }

  get enabled(): boolean {
    return this.maxRows > 0;
  }

  /** Rows held now, over all cached windows. */
  get rows(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached rows of `key` when they are valid at `now`; refreshes its LRU position. */
  get(key: string, now: number): Row[] | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (now < entry.validity.from || now >= entry.validity.until) {
      this.held -= entry.rows.length;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.rows;
  }

  set(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.held -= old.rows.length;
    }
    if (entry.rows.length > this.maxRows) return;
    this.entries.set(key, entry);
    this.held += entry.rows.length;
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.held <= this.maxRows) break;
      this.entries.delete(oldKey);
      this.held -= oldEntry.rows.length;
    }
  }

  /** Drops every cached window of `source` that covers the instant `t` (late data changed that hour). */
  invalidate(source: string, t: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.source === source && entry.start <= t && t < entry.end) {
        this.entries.delete(key);
        this.held -= entry.rows.length;
      }
    }
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }
}
