/** Pipeline stages after the source: filter, sort, skip, limit, count, identified, select, eval. */
import { pipelineError } from './errors';
import { parseExpression, type Expr } from './filter-parser';
import { evaluate, getPath, truthy, type EvalEnv, type Row } from './expressions';
import { parseSortKeys, sortRows, topK, type SortKey } from './sort';

export type Stage =
  | { kind: 'filter'; expr: Expr }
  | { kind: 'sort'; keys: SortKey[] }
  | { kind: 'skip'; n: number }
  | { kind: 'limit'; n: number }
  | { kind: 'count' }
  | { kind: 'identified'; path: string[] }
  | { kind: 'select'; fields: [string, Expr][] }
  | { kind: 'eval'; fields: [string, Expr][] };

/** Anonymous visitors carry ids with this prefix. */
export const ANONYMOUS_PREFIX = '_PENDO_T_';

function count(raw: unknown, name: string): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw pipelineError(`${name} must be a whole number`);
  return n;
}

function fieldMap(raw: unknown, name: string): [string, Expr][] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw pipelineError(`${name} must be an object`);
  return Object.entries(raw).map(([field, src]) => {
    if (typeof src !== 'string') throw pipelineError(`${name}.${field} must be an expression string`);
    return [field, parseExpression(src)];
  });
}

/** Parses one stage object such as `{"limit": 1000}`; throws a 400 for unknown or malformed stages. */
export function parseStage(raw: unknown): Stage {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw pipelineError('each stage must be an object');
  const entries = Object.entries(raw);
  const [entry] = entries;
  if (!entry || entries.length !== 1) throw pipelineError('each stage must have exactly one key');
  const [name, arg] = entry;
  switch (name) {
    case 'filter':
      if (typeof arg !== 'string') throw pipelineError('filter must be a string');
      return { kind: 'filter', expr: parseExpression(arg) };
    case 'sort':
      return { kind: 'sort', keys: parseSortKeys(arg) };
    case 'skip':
      return { kind: 'skip', n: count(arg, 'skip') };
    case 'limit':
      return { kind: 'limit', n: count(arg, 'limit') };
    case 'count':
      return { kind: 'count' };
    case 'identified':
      if (typeof arg !== 'string' || arg === '') throw pipelineError('identified must name a field');
      return { kind: 'identified', path: arg.split('.') };
    case 'select':
      return { kind: 'select', fields: fieldMap(arg, 'select') };
    case 'eval':
      return { kind: 'eval', fields: fieldMap(arg, 'eval') };
    case 'source':
      throw pipelineError('source must be the first stage');
  }
  throw pipelineError(`unsupported stage ${JSON.stringify(name)}`);
}

function* filterRows(rows: Iterable<Row>, expr: Expr, env: EvalEnv): Iterable<Row> {
  for (const row of rows) if (truthy(evaluate(expr, row, env))) yield row;
}

function* skipRows(rows: Iterable<Row>, n: number): Iterable<Row> {
  let seen = 0;
  for (const row of rows) if (seen++ >= n) yield row;
}

function* limitRows(rows: Iterable<Row>, n: number): Iterable<Row> {
  if (n <= 0) return;
  let left = n;
  for (const row of rows) {
    yield row;
    if (--left <= 0) return;
  }
}

function* countRows(rows: Iterable<Row>): Iterable<Row> {
  let n = 0;
  for (const _row of rows) n++;
  yield { count: n };
}

function* identifiedRows(rows: Iterable<Row>, path: string[]): Iterable<Row> {
  for (const row of rows) {
    const id = getPath(row, path);
    if (typeof id === 'string' && id !== '' && !id.startsWith(ANONYMOUS_PREFIX)) yield row;
  }
}

function* projectRows(rows: Iterable<Row>, fields: [string, Expr][], keep: boolean, env: EvalEnv): Iterable<Row> {
  for (const row of rows) {
    const out: Row = keep ? { ...row } : {};
    for (const [name, expr] of fields) out[name] = evaluate(expr, row, env);
    yield out;
  }
}

/** How many leading rows a sort must keep when it is followed by `limit` or `skip`+`limit`. */
function sortWindow(rest: readonly Stage[]): number | undefined {
  const [a, b] = rest;
  if (a?.kind === 'limit') return a.n;
  if (a?.kind === 'skip' && b?.kind === 'limit') return a.n + b.n;
  return undefined;
}

/** Applies stages lazily; only sort and count hold rows (sort+limit holds about 2×limit). */
export function applyStages(rows: Iterable<Row>, stages: readonly Stage[], env: EvalEnv): Iterable<Row> {
  let out = rows;
  stages.forEach((stage, i) => {
    switch (stage.kind) {
      case 'filter':
        out = filterRows(out, stage.expr, env);
        break;
      case 'sort': {
        const k = sortWindow(stages.slice(i + 1));
        const input = out;
        out = {
          *[Symbol.iterator]() {
            yield* k === undefined ? sortRows(input, stage.keys) : topK(input, stage.keys, k);
          },
        };
        break;
      }
      case 'skip':
        out = skipRows(out, stage.n);
        break;
      case 'limit':
        out = limitRows(out, stage.n);
        break;
      case 'count':
        out = countRows(out);
        break;
      case 'identified':
        out = identifiedRows(out, stage.path);
        break;
      case 'select':
        out = projectRows(out, stage.fields, false, env);
        break;
      case 'eval':
        out = projectRows(out, stage.fields, true, env);
        break;
    }
  });
  return out;
}
