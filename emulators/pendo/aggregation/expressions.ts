/** Evaluation of parsed expressions against a row, and of timeSeries first/last expressions. */
import { pipelineError } from './errors';
import { parseExpression, type Expr } from './filter-parser';
import { compareValues, valuesEqual } from './compare';
import { localTimeToUtc, wallClock } from './timezone';

export type Row = Record<string, unknown>;
export interface EvalEnv {
  now: number;
  timezone: string;
}

/** Reads a dotted path from a row; missing steps give undefined. */
export function getPath(row: unknown, path: readonly string[]): unknown {
  let cur: unknown = row;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function truthy(v: unknown): boolean {
  return !(v === null || v === undefined || v === false || v === 0 || v === '' || Number.isNaN(v));
}

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000 };

function dateAdd(t: unknown, n: unknown, unit: unknown, env: EvalEnv): unknown {
  if (typeof t !== 'number' || typeof n !== 'number' || typeof unit !== 'string') return null;
  const u = unit.replace(/s$/, '').toLowerCase();
  const fixed = UNIT_MS[u];
  if (fixed !== undefined) return t + n * fixed;
  const w = wallClock(env.timezone, t);
  if (u === 'day') return localTimeToUtc(env.timezone, w.year, w.month, w.day + n, w.hour, w.minute, w.second);
  if (u === 'week') return localTimeToUtc(env.timezone, w.year, w.month, w.day + 7 * n, w.hour, w.minute, w.second);
  if (u === 'month') return localTimeToUtc(env.timezone, w.year, w.month + n, w.day, w.hour, w.minute, w.second);
  if (u === 'year') return localTimeToUtc(env.timezone, w.year + n, w.month, w.day, w.hour, w.minute, w.second);
  return null;
}

function call(name: string, args: unknown[], env: EvalEnv): unknown {
  const [a, b, c] = args;
  switch (name) {
    case 'now':
      return env.now;
    case 'isNull':
      return a === null || a === undefined;
    case 'contains':
      if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
      if (Array.isArray(a)) return a.some((item) => valuesEqual(item, b));
      return false;
    case 'startsWith':
      return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    case 'endsWith':
      return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
    case 'eventSubType':
      return typeof a === 'string' ? a : null;
    case 'date': {
      const nums = args.map(Number);
      if (nums.some((x) => !Number.isFinite(x))) return null;
      const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0] = nums;
      return localTimeToUtc(env.timezone, y, mo, d, h, mi, s);
    }
    case 'dateAdd':
      return dateAdd(a, b, c, env);
  }
  return null;
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return `${String(a ?? '')}${String(b ?? '')}`;
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
    default:
      return b === 0 ? null : a % b;
  }
}

/** Evaluates an expression for one row. Comparisons use the same total order as `sort`. */
export function evaluate(expr: Expr, row: Row, env: EvalEnv): unknown {
  switch (expr.kind) {
    case 'lit':
      return expr.value;
    case 'path':
      return getPath(row, expr.path);
    case 'unary': {
      const v = evaluate(expr.arg, row, env);
      if (expr.op === '!') return !truthy(v);
      return typeof v === 'number' ? -v : null;
    }
    case 'call':
      return call(
        expr.name,
        expr.args.map((a) => evaluate(a, row, env)),
        env,
      );
    case 'binary': {
      if (expr.op === '&&') return truthy(evaluate(expr.left, row, env)) && truthy(evaluate(expr.right, row, env));
      if (expr.op === '||') return truthy(evaluate(expr.left, row, env)) || truthy(evaluate(expr.right, row, env));
      const a = evaluate(expr.left, row, env);
      const b = evaluate(expr.right, row, env);
      switch (expr.op) {
        case '==':
          return valuesEqual(a, b);
        case '!=':
          return !valuesEqual(a, b);
        case '<':
          return compareValues(a, b) < 0;
        case '<=':
          return compareValues(a, b) <= 0;
        case '>':
          return compareValues(a, b) > 0;
        case '>=':
          return compareValues(a, b) >= 0;
        default:
          return arithmetic(expr.op, a, b);
      }
    }
  }
}

/** Evaluates a timeSeries `first`/`last`: a number, a numeric string, or an expression such as `now() - 3*60*60*1000`. */
export function evaluateTimeExpression(raw: unknown, env: EvalEnv, what: string): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
    const value = evaluate(parseExpression(trimmed), {}, env);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  throw pipelineError(`${what} is not a time: ${JSON.stringify(raw)}`);
}
