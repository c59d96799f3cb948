import type { ApiContext } from './context';
import { problem } from './errors';
import { hex } from './ids';
import { isObject, jsonBody, ok, type EmuRequest, type EmuResponse, type Json } from './http';
import { findXdm } from './xdm-doc';
import { TIME_SERIES_BEHAVIOR } from './xdm-globals';

const badRequest = (detail: string) => problem('catalog', 400, 'Bad Request', detail);
const MAX_LIMIT = 100;

/** Routes `/data/foundation/catalog/...`; only datasets are emulated. */
export function handleCatalog(req: EmuRequest, ctx: ApiContext, rest: string[]): EmuResponse {
  const [collection, id, extra] = rest;
  if (collection !== 'dataSets' || extra !== undefined) {
    throw problem('catalog', 404, 'Not Found', `No such Catalog path: ${req.path}`);
  }
  const sets = ctx.sandbox.dataSets;
  if (!id) {
    if (req.method === 'GET') return list(req, ctx);
    if (req.method === 'POST') return create(req, ctx);
    throw problem('catalog', 405, 'Method Not Allowed', `${req.method} is not allowed on /dataSets`);
  }
  if (req.method === 'GET') {
    const ds = sets.get(id);
    if (!ds) throw problem('catalog', 404, 'Not Found', `Dataset ${id} not found.`);
    return ok({ [id]: project(ds, req.query.get('properties')) });
  }
  if (req.method === 'DELETE') {
    // Deleting nothing still answers 200, with an empty array.
    return ok(sets.delete(id) ? [`@/dataSets/${id}`] : []);
  }
  throw problem('catalog', 405, 'Method Not Allowed', `${req.method} is not emulated on /dataSets/{id}`);
}

function create(req: EmuRequest, ctx: ApiContext): EmuResponse {
  const body = jsonBody(req, badRequest);
  if (!isObject(body)) throw badRequest('The request body must be a JSON object.');
  if (typeof body.name !== 'string' || !body.name) throw badRequest('name is required.');
  const ref = body.schemaRef;
  if (!isObject(ref) || typeof ref.id !== 'string') throw badRequest('schemaRef.id is required.');
  const schema = findXdm(ctx.sandbox, ref.id, 'schemas');
  if (!schema) throw badRequest(`schemaRef.id ${ref.id} does not name a schema of this sandbox.`);
  const tags = body.tags ?? {};
  if (!isTags(tags)) throw badRequest('tags must be an object whose values are arrays of strings.');
  const id = hex(24);
  const behaviors = (schema.doc['meta:extends'] as string[] | undefined) ?? [];
  const ds: Json = {
    ...body,
    tags,
    schemaRef: { id: schema.doc.$id, contentType: ref.contentType ?? 'application/vnd.adobe.xed-full+json;version=1' },
    classification: {
      dataBehavior: behaviors.includes(TIME_SERIES_BEHAVIOR) ? 'time-series' : 'record',
      managedBy: 'CUSTOMER',
    },
    imsOrg: ctx.principal.orgId,
    sandboxId: ctx.sandbox.id,
    created: ctx.now,
    updated: ctx.now,
    createdClient: ctx.principal.clientId,
    version: '1.0.0',
    viewId: hex(24),
    files: `@/dataSetFiles?dataSetId=${id}`,
  };
  ctx.sandbox.dataSets.set(id, ds);
  return ok([`@/dataSets/${id}`], 201, { Location: `/data/foundation/catalog/dataSets/${id}` });
}

/** `name=`, `properties=`, `limit` (max 100), `start`, `orderBy=asc:created|desc:created`. */
function list(req: EmuRequest, ctx: ApiContext): EmuResponse {
  const q = req.query;
  const limitRaw = q.get('limit');
  const limit = limitRaw === null ? 20 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw badRequest(`limit must be 1-${MAX_LIMIT}.`);
  const start = Number(q.get('start') ?? 0) || 0;
  const name = q.get('name');
  let entries = [...ctx.sandbox.dataSets.entries()].filter(([, ds]) => name === null || ds.name === name);
  if (q.get('orderBy')?.startsWith('desc')) entries = entries.reverse();
  const page = entries.slice(start, start + limit);
  return ok(Object.fromEntries(page.map(([id, ds]) => [id, project(ds, q.get('properties'))])));
}

const isTags = (v: unknown): v is Record<string, string[]> =>
  isObject(v) && Object.values(v).every((a) => Array.isArray(a) && a.every((t) => typeof t === 'string'));

function project(ds: Json, properties: string | null): Json {
  if (!properties) return ds;
  const keep = properties.split(',').map((p) => p.trim());
  return Object.fromEntries(Object.entries(ds).filter(([k]) => keep.includes(k)));
}
