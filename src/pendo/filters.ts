/** Quotes a string for a Pendo filter expression; ids may contain `"` and `\`, which must be escaped. */
export function quoteFilterString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A literal for a filter expression: numbers as is, strings quoted and escaped. */
export function filterLiteral(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return quoteFilterString(value);
  throw new Error(`cannot use ${JSON.stringify(value)} in a Pendo filter`);
}

/**
 * The rows strictly after `after` in the lexicographic order of `fields`:
 * `(a > x) || (a == x && b > y) || ...`. Paging on the full key this way never skips or repeats a row,
 * however many rows share one timestamp.
 */
export function keysetAfter(fields: readonly string[], after: readonly unknown[]): string {
  if (fields.length !== after.length) throw new Error('keyset fields and values differ in length');
  // A missing field sorts before every value, so `> null` means "present" and `== null` means "missing".
  const equals = (f: string, v: unknown) =>
    v === null || v === undefined ? `isNull(${f})` : `${f} == ${filterLiteral(v)}`;
  const greater = (f: string, v: unknown) =>
    v === null || v === undefined ? `!isNull(${f})` : `${f} > ${filterLiteral(v)}`;
  const clauses = fields.map((field, i) =>
    [...fields.slice(0, i).map((f, j) => equals(f, after[j])), greater(field, after[i])].join(' && '),
  );
  return clauses.map((c) => `(${c})`).join(' || ');
}
