/**
 * Recognises a keyset filter `(a > x) || (a == x && b > y) || ...` on a prefix of ascending sort keys, so a page
 * over rows already sorted on those keys can start at a binary-searched position instead of scanning.
 */
import { compareValues } from './compare';
import { getPath, type Row } from './expressions';
import type { Expr, Literal } from './filter-parser';
import type { SortKey } from './sort';

/** The keyset bound: rows whose first `paths.length` sort values are lexicographically after `after`. */
export interface KeysetBound {
  paths: string[][];
  after: Literal[];
}

function flatten(expr: Expr, op: '&&' | '||'): Expr[] {
  return expr.kind === 'binary' && expr.op === op ? [...flatten(expr.left, op), ...flatten(expr.right, op)] : [expr];
}

/** Splits the filters before a sort into their top-level conjuncts (`&&` of booleans is associative). */
export function conjuncts(filters: readonly Expr[]): Expr[] {
  return filters.flatMap((f) => flatten(f, '&&'));
}

function literal(expr: Expr): { value: Literal } | undefined {
  if (expr.kind === 'lit') return { value: expr.value };
  if (expr.kind === 'unary' && expr.op === '-' && expr.arg.kind === 'lit' && typeof expr.arg.value === 'number')
    return { value: -expr.arg.value };
  return undefined;
}

function isNullOf(expr: Expr): string[] | undefined {
  if (expr.kind !== 'call' || expr.name !== 'isNull' || expr.args.length !== 1) return undefined;
  const [arg] = expr.args;
  return arg?.kind === 'path' ? arg.path : undefined;
}

/** `f == x` or `isNull(f)` (x null). Both equal `compareValues(f, x) === 0`. */
function equality(expr: Expr): { path: string[]; value: Literal } | undefined {
  const nullPath = isNullOf(expr);
  if (nullPath) return { path: nullPath, value: null };
  if (expr.kind !== 'binary' || expr.op !== '==' || expr.left.kind !== 'path') return undefined;
  const lit = literal(expr.right);
  return lit && lit.value !== null ? { path: expr.left.path, value: lit.value } : undefined;
}

/** `f > x` or `!isNull(f)` (x null). Both equal `compareValues(f, x) > 0`. */
function greater(expr: Expr): { path: string[]; value: Literal } | undefined {
  if (expr.kind === 'unary' && expr.op === '!') {
    const nullPath = isNullOf(expr.arg);
    return nullPath ? { path: nullPath, value: null } : undefined;
  }
  if (expr.kind !== 'binary' || expr.op !== '>' || expr.left.kind !== 'path') return undefined;
  const lit = literal(expr.right);
  return lit && lit.value !== null ? { path: expr.left.path, value: lit.value } : undefined;
}

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/** The bound a conjunct expresses over the leading ascending `keys`, or undefined when it is anything else. */
export function keysetBound(expr: Expr, keys: readonly SortKey[]): KeysetBound | undefined {
  const clauses = flatten(expr, '||');
  if (clauses.length > keys.length) return undefined;
  const after: Literal[] = [];
  const paths: string[][] = [];
  for (let i = 0; i < clauses.length; i++) {
    const key = keys[i];
    const parts = flatten(clauses[i] as Expr, '&&');
    if (!key || key.desc || parts.length !== i + 1) return undefined;
    for (let j = 0; j < i; j++) {
      const eq = equality(parts[j] as Expr);
      if (!eq || !samePath(eq.path, paths[j] as string[]) || compareValues(eq.value, after[j]) !== 0) return undefined;
      if (typeof eq.value !== typeof after[j]) return undefined;
    }
    const gt = greater(parts[i] as Expr);
    if (!gt || !samePath(gt.path, key.path)) return undefined;
    paths.push(gt.path);
    after.push(gt.value);
  }
  return { paths, after };
}

/** Whether a row lies strictly after the bound: exactly what the keyset expression evaluates to. */
function isAfter(row: Row, bound: KeysetBound): boolean {
  for (let i = 0; i < bound.paths.length; i++) {
    const c = compareValues(getPath(row, bound.paths[i] as string[]), bound.after[i]);
    if (c !== 0) return c > 0;
  }
  return false;
}

/** First index of `rows` (sorted on the bound's keys, ascending) that lies after the bound. */
export function keysetStart(rows: readonly Row[], bound: KeysetBound): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAfter(rows[mid] as Row, bound)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
