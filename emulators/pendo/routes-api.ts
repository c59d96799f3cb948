/** The Pendo API under /api/v1: token check, metadata schemas, metadata lists and the aggregation endpoint. */
import type { IncomingMessage } from 'node:http';
import { AggregationError } from './aggregation/errors';
import { parseAggregation, runAggregation } from './aggregation/pipeline';
import type { Region } from './auth';
import type { EmulatorContext } from './context';
import { isMetaKind } from './data/metadata';
import { metadataSchema } from './data/schema';
import { BodyTooLarge, JSON_TYPE, json, readBody, text, type Reply } from './http';
import type { Row } from './aggregation/expressions';
import { rowJson } from './row-json';
import { RowSlice } from './aggregation/window-text';
import { SAME_ROWS } from './faults';

const LIST_KINDS = new Set(['feature', 'guide', 'page', 'report', 'segment']);

/** A stable label for stats: method plus the route pattern. */
export function apiRouteLabel(method: string, apiPath: string): string {
  const rest = apiPath.replace(/^\/api\/v1\/?/, '');
  if (rest.startsWith('metadata/schema/')) return `${method} /api/v1/metadata/schema/:kind`;
  if (['token/verify', 'aggregation', ...LIST_KINDS].includes(rest)) return `${method} /api/v1/${rest}`;
  return `${method} /api/v1/*`;
}

async function listReply(ctx: EmulatorContext, kind: string, query: URLSearchParams): Promise<Reply> {
  if (!isMetaKind(kind)) return json(404, { message: 'not found' });
  const pacer = await ctx.latency.start('list');
  const ids = query.get('id');
  const objects = ctx.dataset.metadata.list(kind, ctx.now(), {
    expand: query.get('expand') === '*',
    ids: ids ? ids.split(',').map((s) => s.trim()) : undefined,
    state: query.get('state') ?? undefined,
  });
  const rows = pacer.count(ctx.faults.rows('list')(objects as Row[]));
  return { status: 200, contentType: JSON_TYPE, body: jsonArray(rows), pace: () => pacer.pace() };
}

function* jsonArray(items: Iterable<unknown>): Iterable<string> {
  let first = true;
  yield '[';
  for (const item of items) {
    yield first ? rowJson(item) : `,${rowJson(item)}`;
    first = false;
  }
  yield ']';
}

function* aggregationBody(startTime: number, rows: Iterable<Row>): Iterable<string | Buffer> {
  yield `{"startTime":${startTime},"results":`;
  if (rows instanceof RowSlice) {
    yield '[';
    yield* rows.text();
    yield ']';
  } else yield* jsonArray(rows);
  yield '}';
}

async function aggregationReply(ctx: EmulatorContext, req: IncomingMessage): Promise<Reply> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof BodyTooLarge) return text(413, 'Request body too large');
    return text(400, `Cannot parse request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  const env = { now: ctx.now(), timezone: ctx.timezone, rowBudget: ctx.rowBudget };
  try {
    const plan = parseAggregation(body, env);
    const pacer = await ctx.latency.start('aggregation');
    const { startTime, rows } = runAggregation(plan, ctx.dataset, env);
    const alter = ctx.faults.rows('aggregation');
    // A cached window's page goes out as its stored bytes unless a fault or the latency model must see each row.
    const asStored = rows instanceof RowSlice && alter === SAME_ROWS && !pacer.paced;
    return {
      status: 200,
      contentType: JSON_TYPE,
      body: aggregationBody(startTime, asStored ? rows : pacer.count(alter(rows))),
      pace: () => pacer.pace(),
    };
  } catch (err) {
    if (!(err instanceof AggregationError)) throw err;
    return text(err.status, err.body, err.detail ? { 'x-emulator-detail': err.detail.slice(0, 500) } : undefined);
  }
}

/** Answers an authenticated, fault-free API request. */
export async function handleApi(
  ctx: EmulatorContext,
  req: IncomingMessage,
  region: Region,
  apiPath: string,
  query: URLSearchParams,
): Promise<Reply> {
  const method = req.method ?? 'GET';
  const rest = apiPath.replace(/^\/api\/v1\/?/, '');
  if (rest === 'aggregation') {
    return method === 'POST' ? aggregationReply(ctx, req) : json(405, { message: 'use POST' });
  }
  if (method !== 'GET') return json(405, { message: `${method} not allowed` });
  if (rest === 'token/verify') {
    return json(200, { valid: true, subscriptionId: ctx.subscriptionId, region, writeAccess: true });
  }
  const schema = /^metadata\/schema\/([^/]+)$/.exec(rest);
  if (schema?.[1]) {
    const found = metadataSchema(schema[1]);
    if (found === undefined && ctx.unknownSchema === 'not-found') {
      return json(404, { message: `no metadata schema named ${schema[1]}` });
    }
    return json(200, found ?? {});
  }
  if (LIST_KINDS.has(rest)) return listReply(ctx, rest, query);
  return json(404, { message: `no route for ${method} ${apiPath}` });
}
