import type { ApiContext } from './context';
import { problem } from './errors';
import { hex } from './ids';
import { isObject, jsonBody, ok, type EmuRequest, type EmuResponse, type Json } from './http';
import { applyMappings, normaliseMapping } from './mapping';
import { findXdm } from './xdm-doc';

const badRequest = (detail: string) => problem('conversion', 400, 'Bad Request', detail);
const notFound = (id: string) => problem('conversion', 404, 'Not Found', `Mapping set ${id} not found.`);

/** Routes `/data/foundation/conversion/mappingSets...`. There is deliberately no DELETE. */
export function handleDataPrep(req: EmuRequest, ctx: ApiContext, rest: string[]): EmuResponse {
  const [collection, id, extra] = rest;
  if (collection !== 'mappingSets' || extra !== undefined) {
    throw problem('conversion', 404, 'Not Found', `No such Data Prep path: ${req.path}`);
  }
  const sets = ctx.sandbox.mappingSets;
  if (id === 'validate' && req.method === 'POST') return validate(req, ctx);
  if (id === 'preview' && req.method === 'POST') return preview(req, ctx);
  if (!id) {
    if (req.method === 'GET') return list(req, ctx);
    if (req.method !== 'POST') throw problem('conversion', 405, 'Method Not Allowed', `${req.method} not allowed`);
    const version = buildVersion(jsonBody(req, badRequest), ctx, hex(32), 0);
    sets.set(version.id as string, { id: version.id as string, versions: [version] });
    return ok(summary(version)); // 200, not 201
  }
  const entry = sets.get(id);
  if (!entry) throw notFound(id);
  if (req.method === 'GET') {
    const v = req.query.get('version');
    const doc = v === null ? entry.versions.at(-1) : entry.versions[Number(v)];
    if (!doc) throw problem('conversion', 404, 'Not Found', `Mapping set ${id} has no version ${v}.`);
    return ok(doc);
  }
  if (req.method === 'PUT') {
    const prev = entry.versions.at(-1) as Json;
    const version = buildVersion(jsonBody(req, badRequest), ctx, id, entry.versions.length, prev);
    entry.versions.push(version);
    return ok(summary(version));
  }
  throw problem('conversion', 405, 'Method Not Allowed', `${req.method} is not supported on mapping sets`);
}

const summary = (v: Json): Json => ({
  id: v.id,
  version: v.version,
  createdDate: v.createdDate,
  modifiedDate: v.modifiedDate,
  createdBy: v.createdBy,
  modifiedBy: v.modifiedBy,
});

/** Accepts both documented body dialects and stores both key sets, as GET responses carry both. */
function buildVersion(body: unknown, ctx: ApiContext, id: string, version: number, prev?: Json): Json {
  if (!isObject(body)) throw badRequest('The request body must be a JSON object.');
  const schemaId = schemaIdOf(body);
  if (!schemaId) throw badRequest('outputSchema.schemaRef.id (or xdmSchema) is required.');
  if (!findXdm(ctx.sandbox, schemaId, 'schemas')) throw badRequest(`Output schema ${schemaId} does not exist.`);
  if (!Array.isArray(body.mappings) || body.mappings.length === 0)
    throw badRequest('mappings must be a non-empty array.');
  const mappings = body.mappings.map((m, i) => {
    const n = isObject(m) ? normaliseMapping(m) : undefined;
    if (!n) throw badRequest(`mappings[${i}] needs a source and a destination.`);
    return { ...m, ...n, id: hex(32) };
  });
  return {
    ...body,
    id,
    version,
    mappings,
    xdmSchema: schemaId,
    xdmVersion: '1.0',
    outputSchema: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
    status: 'PUBLISHED',
    createdDate: prev?.createdDate ?? ctx.now,
    modifiedDate: ctx.now,
    createdBy: prev?.createdBy ?? ctx.principal.clientId,
    modifiedBy: ctx.principal.clientId,
  };
}

export function schemaIdOf(body: Json): string | undefined {
  const out = body.outputSchema;
  const ref = isObject(out) && isObject(out.schemaRef) ? out.schemaRef.id : undefined;
  if (typeof ref === 'string') return ref;
  return typeof body.xdmSchema === 'string' ? body.xdmSchema : undefined;
}

/** `limit` and `start` are both required; `name=` filters. Response `{data, _page}`. */
function list(req: EmuRequest, ctx: ApiContext): EmuResponse {
  const limit = req.query.get('limit');
  const start = req.query.get('start');
  if (limit === null || start === null) throw badRequest('Query parameters limit and start are required.');
  const name = req.query.get('name');
  let all = [...ctx.sandbox.mappingSets.values()].map((e) => e.versions.at(-1) as Json);
  if (name !== null) all = all.filter((v) => v.name === name);
  if (req.query.get('orderBy') === '-createdDate') all.reverse();
  const data = all.slice(Number(start) || 0, (Number(start) || 0) + (Number(limit) || 10));
  return ok({ data, _page: { count: all.length, limit: Number(limit) } });
}

function validate(req: EmuRequest, ctx: ApiContext): EmuResponse {
  const body = jsonBody(req, badRequest);
  const mappings = isObject(body) && Array.isArray(body.mappings) ? body.mappings : [];
  const schemaOk = isObject(body) && !!findXdm(ctx.sandbox, schemaIdOf(body) ?? '', 'schemas');
  return ok({
    validationResponse: mappings.map((m) => {
      const good = schemaOk && isObject(m) && normaliseMapping(m) !== undefined;
      return { status: good ? 'SUCCESS' : 'FAILURE', errors: good ? null : [{ message: 'Invalid mapping or schema' }] };
    }),
  });
}

function preview(req: EmuRequest, _ctx: ApiContext): EmuResponse {
  const body = jsonBody(req, badRequest);
  if (!isObject(body) || !Array.isArray(body.data) || !isObject(body.mappingSet)) {
    throw badRequest('Body must be {data: [...], mappingSet: {...}}.');
  }
  const mappings = Array.isArray(body.mappingSet.mappings) ? body.mappingSet.mappings.filter(isObject) : [];
  return ok(
    body.data.map((row) => {
      const r = applyMappings(mappings, row);
      return { data: r.output, errors: r.errors.length ? r.errors : null };
    }),
  );
}
