/** Parses the aggregation envelope and runs its pipeline over a row provider, lazily. */
import { AggregationError, FILTER_PARSE_ERROR, pipelineError } from './errors';
import type { EvalEnv, Row } from './expressions';
import { ANONYMOUS_PREFIX, applyStages, parseStage, type Stage } from './stages';
import { expandTimeSeries, type Bucket, type Period } from './time-series';
import { sortedWindowRows } from './window-rows';
import type { Validity, WindowCache } from './window-cache';

export const EVENT_SOURCES = ['pageEvents', 'featureEvents', 'trackEvents', 'guideEvents', 'pollEvents'] as const;
export const ENTITY_SOURCES = ['features', 'pages', 'guides', 'trackTypes', 'accounts', 'visitors'] as const;
/** Subscription-wide sources: Pendo ignores `appId` for them (Estuary PR #3010). */
const PEOPLE_SOURCES: ReadonlySet<string> = new Set(['accounts', 'visitors']);
export type EventSource = (typeof EVENT_SOURCES)[number];
export type EntitySource = (typeof ENTITY_SOURCES)[number];
export type RowSourceName = EventSource | EntitySource;

export type AppSelector = { kind: 'default' } | { kind: 'all' } | { kind: 'list'; ids: number[] };

export interface SourceSpec {
  name: RowSourceName;
  apps: AppSelector;
  /** Entity filters from the source argument, e.g. `{"pageId": "..."}`. */
  match: [string, string | number][];
  /** `visitors: {identified: true}` drops anonymous visitors. */
  identified?: boolean;
}

export interface AggregationPlan {
  source: SourceSpec;
  timeSeries?: { period: Period; buckets: Bucket[] };
  stages: Stage[];
}

/** Where rows come from; the emulator's dataset implements it, tests can fake it. */
export interface RowProvider {
  readonly defaultAppId: number;
  /** With `validity`, narrows it to the span of `now` over which these rows stay the same. */
  eventRows(source: EventSource, bucket: Bucket, period: Period, now: number, validity?: Validity): Iterable<Row>;
  /** Rows the source would scan for the bucket, before visibility; used for the "too large" budget. */
  plannedRows(source: EventSource, bucket: Bucket): number;
  entityRows(source: EntitySource, now: number): Iterable<Row>;
  /** When present, the sorted rows of event windows are cached here between pages. */
  readonly windowCache?: WindowCache;
}

export function isEventSource(name: string): name is EventSource {
  return (EVENT_SOURCES as readonly string[]).includes(name);
}

function isRowSource(name: string): name is RowSourceName {
  return isEventSource(name) || (ENTITY_SOURCES as readonly string[]).includes(name);
}

const EXPAND_ALL = /^\s*expandAppIds\(\s*(["`])\*\1\s*\)\s*$/;

function parseApps(raw: unknown): AppSelector {
  if (raw === undefined || raw === null) return { kind: 'default' };
  if (typeof raw === 'string' && EXPAND_ALL.test(raw)) return { kind: 'all' };
  const list = Array.isArray(raw) ? raw : [raw];
  const ids = list.map((v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v));
  if (ids.length === 0 || !ids.every((v): v is number => Number.isSafeInteger(v))) {
    throw pipelineError(`bad appId ${JSON.stringify(raw)}`);
  }
  return { kind: 'list', ids };
}

function parseSource(raw: unknown): { spec: SourceSpec; timeSeries: unknown } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw pipelineError('source must be an object');
  const entries = Object.entries(raw).filter(([k]) => k !== 'timeSeries');
  const [entry] = entries;
  if (!entry || entries.length !== 1) throw pipelineError('source must name exactly one row source');
  const [name, arg] = entry;
  if (!isRowSource(name)) throw new AggregationError(400, FILTER_PARSE_ERROR, `unknown row source ${name}`);
  let timeSeries = (raw as Record<string, unknown>).timeSeries;
  const match: [string, string | number][] = [];
  let apps: AppSelector = { kind: 'default' };
  let identified: boolean | undefined;
  if (arg !== null && arg !== undefined) {
    if (typeof arg !== 'object' || Array.isArray(arg))
      throw pipelineError(`${name} argument must be null or an object`);
    for (const [key, value] of Object.entries(arg)) {
      if (key === 'timeSeries') timeSeries ??= value;
      else if (key === 'appId') apps = parseApps(value);
      else if (key === 'identified' && typeof value === 'boolean') identified = value;
      else if (typeof value === 'string' || typeof value === 'number') match.push([key, value]);
      else throw pipelineError(`bad ${name}.${key} argument`);
    }
    if (match.length > 0 && !('appId' in arg)) apps = { kind: 'all' };
  }
  return { spec: { name, apps, match, ...(identified === undefined ? {} : { identified }) }, timeSeries };
}

/** Parses `{response, request: {pipeline: [...]}}`; throws AggregationError (400) on anything malformed. */
export function parseAggregation(body: unknown, env: EvalEnv): AggregationPlan {
  const request = body && typeof body === 'object' ? (body as Record<string, unknown>).request : undefined;
  const pipeline = request && typeof request === 'object' ? (request as Record<string, unknown>).pipeline : undefined;
  if (!Array.isArray(pipeline) || pipeline.length === 0)
    throw pipelineError('request.pipeline must be a non-empty array');
  const [first, ...rest] = pipeline as unknown[];
  const sourceArg = first && typeof first === 'object' ? (first as Record<string, unknown>).source : undefined;
  if (sourceArg === undefined) throw pipelineError('the first stage must be a source');
  const { spec, timeSeries } = parseSource(sourceArg);
  const plan: AggregationPlan = { source: spec, stages: rest.map(parseStage) };
  if (timeSeries !== undefined && timeSeries !== null) plan.timeSeries = expandTimeSeries(timeSeries, env);
  else if (isEventSource(spec.name)) throw pipelineError(`${spec.name} needs a timeSeries`);
  return plan;
}

function appFilter(apps: AppSelector, defaultAppId: number): (appId: unknown) => boolean {
  if (apps.kind === 'all') return () => true;
  const ids = new Set(apps.kind === 'default' ? [defaultAppId] : apps.ids);
  return (appId) => typeof appId === 'number' && ids.has(appId);
}

function* sourceRows(plan: AggregationPlan, provider: RowProvider, now: number, validity?: Validity): Iterable<Row> {
  const { name, apps, match, identified } = plan.source;
  const keepApp = PEOPLE_SOURCES.has(name) ? () => true : appFilter(apps, provider.defaultAppId);
  const keepPerson = (row: Row): boolean => !identified || !String(row.visitorId ?? '').startsWith(ANONYMOUS_PREFIX);
  const keep = (row: Row): boolean => keepApp(row.appId) && keepPerson(row) && match.every(([k, v]) => row[k] === v);
  if (isEventSource(name)) {
    const ts = plan.timeSeries;
    if (!ts) return;
    for (const bucket of ts.buckets) {
      for (const row of provider.eventRows(name, bucket, ts.period, now, validity)) if (keep(row)) yield row;
    }
  } else {
    for (const row of provider.entityRows(name, now)) if (keep(row)) yield row;
  }
}

export interface RunEnv extends EvalEnv {
  /** Source rows above this fail the request as "too large". */
  rowBudget?: number;
}

/** Runs a parsed plan: checks the row budget up front, then returns startTime and a lazy row iterable. */
export function runAggregation(
  plan: AggregationPlan,
  provider: RowProvider,
  env: RunEnv,
): { startTime: number; rows: Iterable<Row> } {
  const { name } = plan.source;
  const budget = env.rowBudget ?? Infinity;
  const plannedRows = (): number => {
    let planned = 0;
    if (isEventSource(name) && plan.timeSeries)
      for (const bucket of plan.timeSeries.buckets) planned += provider.plannedRows(name, bucket);
    return planned;
  };
  if (Number.isFinite(budget) && isEventSource(name) && plan.timeSeries) {
    const planned = plannedRows();
    if (planned > budget) {
      throw new AggregationError(
        500,
        `Aggregation too large: ${planned} source rows exceed the limit of ${budget}; use a smaller time range`,
      );
    }
  }
  const startTime = plan.timeSeries?.buckets[0]?.start ?? env.now;
  if (isEventSource(name)) {
    const cached = sortedWindowRows(plan, provider.windowCache, env, {
      planned: plannedRows,
      rows: (validity) => sourceRows(plan, provider, env.now, validity),
    });
    if (cached) return { startTime, rows: cached };
  }
  return { startTime, rows: applyStages(sourceRows(plan, provider, env.now), plan.stages, env) };
}
