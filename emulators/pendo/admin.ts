/** The inspection and control API under /_emulator/ (no auth, never faulted). */
import type { IncomingMessage } from 'node:http';
import { isEventSource } from './aggregation/pipeline';
import { bucketAt, bucketFloor } from './aggregation/time-series';
import type { EmulatorContext } from './context';
import { APPS } from './data/common';
import { injectLateEvents } from './data/injection';
import { isMetaKind } from './data/metadata';
import { metadataSchema } from './data/schema';
import { parseFaultSpec } from './faults';
import { parseLatencySpec } from './latency';
import { BodyTooLarge, NDJSON_TYPE, json, readBody, type Reply } from './http';

const HOUR = 3_600_000;

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req, 1024 * 1024);
  if (raw.trim() === '') return {};
  const value: unknown = JSON.parse(raw);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SyntaxError('body must be a JSON object');
  return value as Record<string, unknown>;
}

function* ndjson(items: Iterable<unknown>): Iterable<string> {
  for (const item of items) yield `${JSON.stringify(item)}\n`;
}

function numberParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new SyntaxError(`${name} must be epoch milliseconds`);
  return n;
}

/** NDJSON of everything the API shows now: event rows of hour buckets starting in [first, last), or a full list. */
function truth(ctx: EmulatorContext, source: string, query: URLSearchParams): Reply {
  const now = ctx.now();
  if (isMetaKind(source)) {
    return {
      status: 200,
      contentType: NDJSON_TYPE,
      body: ndjson(ctx.dataset.metadata.list(source, now, { expand: true })),
    };
  }
  const people = peopleTruth(ctx, source, now);
  if (people) return { status: 200, contentType: NDJSON_TYPE, body: ndjson(people) };
  if (!isEventSource(source)) return json(404, { message: `unknown source ${source}` });
  const first = numberParam(query, 'first', ctx.dataStartMs);
  const last = numberParam(query, 'last', now + 1);
  const { dataset, timezone } = ctx;
  const eventSource = source;
  function* rows(): Iterable<unknown> {
    let start = bucketFloor('hourRange', timezone, first);
    if (start < first) start += HOUR;
    for (; start < last && start <= now; start += HOUR) {
      yield* dataset.eventRows(eventSource, bucketAt('hourRange', timezone, start), 'hourRange', now);
    }
  }
  return { status: 200, contentType: NDJSON_TYPE, body: ndjson(rows()) };
}

/** Accounts, visitors (the aggregation sources) and the two metadata schemas (one object each). */
function peopleTruth(ctx: EmulatorContext, source: string, now: number): Iterable<unknown> | undefined {
  if (source === 'accounts') return ctx.dataset.accountRows(now);
  if (source === 'visitors') return ctx.dataset.visitorRows(now);
  if (source === 'accountMetadata') return [metadataSchema('account')];
  if (source === 'visitorMetadata') return [metadataSchema('visitor')];
  return undefined;
}

async function metadataRoute(ctx: EmulatorContext, req: IncomingMessage, kind: string, id?: string): Promise<Reply> {
  if (!isMetaKind(kind)) return json(404, { message: `unknown kind ${kind}` });
  const store = ctx.dataset.metadata;
  const now = ctx.now();
  if (req.method === 'POST' && id === undefined) {
    try {
      return json(201, store.create(kind, await jsonBody(req), now));
    } catch (err) {
      if (err instanceof SyntaxError) throw err;
      return json(409, { message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (id === undefined) return json(405, { message: 'use POST to create' });
  const result =
    req.method === 'PATCH'
      ? store.modify(kind, id, await jsonBody(req), now)
      : req.method === 'DELETE'
        ? store.remove(kind, id, now)
        : req.method === 'GET'
          ? store.get(kind, id, now)
          : null;
  if (result === null) return json(405, { message: `${req.method} not allowed` });
  return result ? json(200, result) : json(404, { message: `${kind} ${id} not found` });
}

async function lateEvents(ctx: EmulatorContext, req: IncomingMessage): Promise<Reply> {
  const body = await jsonBody(req);
  const { source, hourMs } = body;
  const count = body.count ?? 3;
  if (typeof source !== 'string' || !isEventSource(source))
    return json(400, { message: 'source must be an event source' });
  if (typeof hourMs !== 'number' || typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    return json(400, { message: 'hourMs must be epoch ms and count a positive integer' });
  }
  try {
    return json(200, injectLateEvents(ctx.dataset, source, hourMs, count, ctx.now()));
  } catch (err) {
    return json(400, { message: err instanceof Error ? err.message : String(err) });
  }
}

async function route(
  ctx: EmulatorContext,
  req: IncomingMessage,
  parts: string[],
  query: URLSearchParams,
): Promise<Reply> {
  const method = req.method ?? 'GET';
  const [head, a, b] = parts;
  switch (`${method} ${head}`) {
    case 'GET info':
      return json(200, {
        keys: ctx.keys,
        seed: ctx.seed,
        subscriptionId: ctx.subscriptionId,
        timezone: ctx.timezone,
        apps: APPS.map(({ id, name }) => ({ id, name })),
        dataStartMs: ctx.dataStartMs,
        now: ctx.now(),
      });
    case 'GET truth':
      return a ? truth(ctx, a, query) : json(404, { message: 'truth needs a source' });
    case 'GET stats':
      return json(200, ctx.stats.toJSON());
    case 'POST load':
      return json(200, ctx.load.take());
    case 'GET faults':
      return json(200, ctx.faults.current());
    case 'PUT faults': {
      const spec = (await jsonBody(req)).spec;
      if (typeof spec !== 'string') return json(400, { message: 'body must be {"spec": "..."}' });
      try {
        ctx.faults.set(parseFaultSpec(spec));
      } catch (err) {
        return json(400, { message: err instanceof Error ? err.message : String(err) });
      }
      return json(200, ctx.faults.current());
    }
    case 'GET latency':
      return json(200, ctx.latency.current());
    case 'PUT latency': {
      const spec = (await jsonBody(req)).spec;
      if (typeof spec !== 'string') return json(400, { message: 'body must be {"spec": "..."}' });
      try {
        ctx.latency.set(parseLatencySpec(spec));
      } catch (err) {
        return json(400, { message: err instanceof Error ? err.message : String(err) });
      }
      return json(200, ctx.latency.current());
    }
    case 'POST late-events':
      return lateEvents(ctx, req);
  }
  if (head === 'metadata' && a) return metadataRoute(ctx, req, a, b);
  return json(404, { message: `no route for ${method} /_emulator/${parts.join('/')}` });
}

/** Stats label for an admin request. */
export function adminRouteLabel(method: string, parts: string[]): string {
  return `${method} /_emulator/${parts[0] ?? ''}`;
}

/** Answers a request under /_emulator/; malformed JSON bodies get a 400. */
export async function handleAdmin(ctx: EmulatorContext, req: IncomingMessage, parts: string[], query: URLSearchParams) {
  try {
    return await route(ctx, req, parts, query);
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof BodyTooLarge) return json(400, { message: err.message });
    throw err;
  }
}
