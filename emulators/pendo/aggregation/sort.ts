/** Multi-key stable sorting, with a bounded top-k for `sort` followed by `limit`. */
import { compareValues } from './compare';
import { pipelineError } from './errors';
import { getPath, type Row } from './expressions';

export interface SortKey {
  path: string[];
  desc: boolean;
}

/** Parses `["hour", "-numEvents", "metadata.auto.id"]`. */
export function parseSortKeys(raw: unknown): SortKey[] {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0) throw pipelineError('sort must be a non-empty array of field names');
  return list.map((item) => {
    if (typeof item !== 'string' || !/^-?[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(item)) {
      throw pipelineError(`bad sort key ${JSON.stringify(item)}`);
    }
    const desc = item.startsWith('-');
    return { path: (desc ? item.slice(1) : item).split('.'), desc };
  });
}

export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const key of keys) {
      const c = compareValues(getPath(a, key.path), getPath(b, key.path));
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  };
}

/** Stable sort of all rows (Array.prototype.sort is stable). */
export function sortRows(rows: Iterable<Row>, keys: readonly SortKey[]): Row[] {
  return Array.from(rows).sort(rowComparator(keys));
}

/** The first k rows of the stable sort, holding at most about 2k rows at a time. */
export function topK(rows: Iterable<Row>, keys: readonly SortKey[], k: number): Row[] {
  if (k <= 0) return [];
  const cmp = rowComparator(keys);
  const bySeq = (a: [Row, number], b: [Row, number]): number => cmp(a[0], b[0]) || a[1] - b[1];
  const cap = Math.max(2 * k, 1024);
  let buffer: [Row, number][] = [];
  let seq = 0;
  for (const row of rows) {
    buffer.push([row, seq++]);
    if (buffer.length >= cap) buffer = buffer.sort(bySeq).slice(0, k);
  }
  return buffer
    .sort(bySeq)
    .slice(0, k)
    .map(([row]) => row);
}
