/**
 * Answers `[filter...] sort ...` over an event window from its cached sorted rows: a stable sort commutes with
 * filters, so filtering the sorted rows gives the same rows in the same order as sorting the filtered ones.
 */
import { evaluate, truthy, type Row } from './expressions';
import type { Expr } from './filter-parser';
import { conjuncts, keysetBound, keysetStart, type KeysetBound } from './keyset';
import type { AggregationPlan, RunEnv } from './pipeline';
import { sortRows, type SortKey } from './sort';
import { applyStages, type Stage } from './stages';
import { openValidity, type Validity, type WindowCache } from './window-cache';
import { RowSlice } from './window-text';

function cacheKey(plan: AggregationPlan, keys: readonly SortKey[]): string | undefined {
  const ts = plan.timeSeries;
  if (!ts) return undefined;
  const { name, apps, match } = plan.source;
  return JSON.stringify([
    name,
    apps,
    match,
    ts.period,
    ts.buckets.map((b) => b.start),
    keys.map((k) => [k.path, k.desc]),
  ]);
}

function* rowsFrom(sorted: readonly Row[], start: number, tests: readonly Expr[], env: RunEnv): Iterable<Row> {
  for (let i = start; i < sorted.length; i++) {
    const row = sorted[i] as Row;
    if (tests.every((t) => truthy(evaluate(t, row, env)))) yield row;
  }
}

/**
 * The rows of the plan when it is an event window of filters then a sort (the keyset paging shape), served from
 * `cache`; undefined when the plan has another shape or caching is off, and the caller runs it as usual.
 */
export function sortedWindowRows(
  plan: AggregationPlan,
  cache: WindowCache | undefined,
  env: RunEnv,
  window: { planned: () => number; rows: (validity: Validity) => Iterable<Row> },
): Iterable<Row> | undefined {
  if (!cache?.enabled || !plan.timeSeries || plan.timeSeries.buckets.length === 0) return undefined;
  const sortAt = plan.stages.findIndex((s) => s.kind !== 'filter');
  const sort = plan.stages[sortAt];
  if (sort?.kind !== 'sort') return undefined;
  const filters = plan.stages.slice(0, sortAt).map((s) => (s as Extract<Stage, { kind: 'filter' }>).expr);
  const key = cacheKey(plan, sort.keys);
  if (key === undefined) return undefined;
  let sorted = cache.get(key, env.now);
  if (!sorted) {
    // A window the cache cannot hold is answered as before, without holding all its rows at once.
    if (window.planned() > cache.maxRows) return undefined;
    const validity = openValidity();
    sorted = sortRows(window.rows(validity), sort.keys);
    const buckets = plan.timeSeries.buckets;
    cache.set(key, {
      rows: sorted,
      source: plan.source.name,
      start: (buckets[0] as { start: number }).start,
      end: (buckets[buckets.length - 1] as { end: number }).end,
      validity,
    });
  }
  let bound: KeysetBound | undefined;
  const tests: Expr[] = [];
  for (const expr of conjuncts(filters)) {
    const b = bound ? undefined : keysetBound(expr, sort.keys);
    if (b) bound = b;
    else tests.push(expr);
  }
  const start = bound ? keysetStart(sorted, bound) : 0;
  const rest = plan.stages.slice(sortAt + 1);
  const range = tests.length === 0 ? pageRange(rest, start, sorted.length) : undefined;
  if (range) return new RowSlice(sorted, range.from, range.to);
  return applyStages(rowsFrom(sorted, start, tests, env), rest, env);
}

/** The rows a tail of skip and limit stages keeps of sorted rows [start, length); undefined for any other tail. */
function pageRange(rest: readonly Stage[], start: number, length: number): { from: number; to: number } | undefined {
  let from = start;
  let to = length;
  for (const stage of rest) {
    if (stage.kind === 'skip' && to === length) from = Math.min(length, from + Math.max(0, stage.n));
    else if (stage.kind === 'limit') to = Math.max(from, Math.min(to, from + stage.n));
    else return undefined;
  }
  return { from, to };
}
