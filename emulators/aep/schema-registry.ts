import type { ApiContext } from './context';
import { xdmPlainError } from './errors';
import { getPath, isObject, jsonBody, ok, type EmuRequest, type EmuResponse, type Json } from './http';
import { applyPatchOp, type PatchOp } from './json-patch';
import type { XdmKind } from './store';
import { parseAccept } from './xdm-accept';
import { assertTitleUnique, buildXdmDoc, bumpMinor, findXdm, notFound, resolveFull, RESOURCE_TYPE } from './xdm-doc';
import { GLOBAL_CLASSES, findGlobalClass } from './xdm-globals';

const KINDS: Record<string, XdmKind> = {
  classes: 'classes',
  fieldgroups: 'fieldgroups',
  mixins: 'fieldgroups',
  schemas: 'schemas',
};
const badRequest = (detail: string) => xdmPlainError(400, 'BadRequestError', detail);
const notAllowed = () => xdmPlainError(405, 'MethodNotAllowedError', 'Method not allowed on this resource.');

/** Routes `/data/foundation/schemaregistry/...`; `rest` is the path after the base. */
export function handleSchemaRegistry(req: EmuRequest, ctx: ApiContext, rest: string[]): EmuResponse {
  const [container, kindRaw, id, extra] = rest;
  if (container === 'stats' && rest.length === 1 && req.method === 'GET') return stats(ctx);
  if (container === 'global') {
    if (req.method !== 'GET') throw notAllowed();
    if (id) {
      const accept = parseAccept(req, true);
      const doc = kindRaw === 'classes' ? findGlobalClass(id) : undefined;
      if (!doc) throw xdmPlainError(404, 'NotFoundError', `Object ${id} with version 1 not found`);
      return ok(accept.format.includes('full') ? doc : { ...doc, properties: undefined });
    }
    return listResponse(req, kindRaw === 'classes' ? GLOBAL_CLASSES : []);
  }
  const kind = kindRaw ? KINDS[kindRaw] : undefined;
  if (container !== 'tenant' || !kind || extra !== undefined) {
    throw xdmPlainError(404, 'NotFoundError', `No such Schema Registry path: ${req.path}`);
  }
  const sb = ctx.sandbox;
  if (!id) {
    if (req.method === 'GET') return listResponse(req, docsOf(ctx, kind));
    if (req.method !== 'POST') throw notAllowed();
    const doc = buildXdmDoc(kind, jsonBody(req, badRequest), ctx);
    sb.xdm.set(doc.$id as string, { kind, doc });
    return ok(doc, 201);
  }
  const found = findXdm(sb, id, kind);
  if (!found) throw notFound(kind, id);
  const current = found.doc;
  switch (req.method) {
    case 'GET': {
      const accept = parseAccept(req, true);
      return ok(accept.format.includes('full') ? resolveFull(current, sb) : current);
    }
    case 'PUT': {
      const doc = buildXdmDoc(kind, jsonBody(req, badRequest), ctx, current);
      found.doc = doc;
      return ok(doc);
    }
    case 'PATCH': {
      const ops = jsonBody(req, badRequest);
      if (!Array.isArray(ops) || ops.length === 0) throw badRequest('The body must be a non-empty JSON Patch array.');
      const next = structuredClone(current);
      for (const op of ops as PatchOp[]) {
        if (!isObject(op) || !['add', 'replace', 'remove'].includes(String(op.op).toLowerCase())) {
          throw badRequest(`Unsupported patch operation: ${JSON.stringify(op)}`);
        }
        const err = applyPatchOp(next, op);
        if (err) throw badRequest(`Invalid patch instruction for path ${op.path}: ${err}`);
      }
      if (typeof next.title === 'string') assertTitleUnique(sb, next.title, current.$id as string);
      next.version = bumpMinor(String(current.version));
      (next['meta:registryMetadata'] as Json)['repo:lastModifiedDate'] = ctx.now;
      found.doc = next;
      return ok(next);
    }
    case 'DELETE':
      sb.xdm.delete(current.$id as string);
      return { status: 204 };
    default:
      throw notAllowed();
  }
}

function docsOf(ctx: ApiContext, kind: XdmKind): Json[] {
  return [...ctx.sandbox.xdm.values()].filter((r) => r.kind === kind).map((r) => r.doc);
}

function stats(ctx: ApiContext): EmuResponse {
  const count = (k: XdmKind) => docsOf(ctx, k).length;
  const recent = [...ctx.sandbox.xdm.values()].slice(-5).map((r) => ({
    title: r.doc.title,
    $id: r.doc.$id,
    'meta:resourceType': RESOURCE_TYPE[r.kind],
    version: r.doc.version,
  }));
  return ok({
    imsOrg: ctx.principal.orgId,
    tenantId: ctx.emu.settings.tenantId,
    counts: {
      schemas: count('schemas'),
      mixins: count('fieldgroups'),
      datatypes: 0,
      classes: count('classes'),
      unions: 0,
    },
    recentlyCreatedResources: recent,
    recentlyUpdatedResources: recent,
    classUsage: {},
  });
}

/** `property=title==X` (also `!=` and `~regex`), `orderby=title|-title`, `start` + `limit`. */
function listResponse(req: EmuRequest, docs: Json[]): EmuResponse {
  const accept = parseAccept(req, false);
  let results = docs.filter((doc) =>
    req.query.getAll('property').every((expr) => {
      const m = /^([\w:$.-]+)(==|!=|~)(.*)$/.exec(expr);
      if (!m) throw badRequest(`Invalid property filter: ${expr}`);
      const value = String(getPath(doc, m[1] ?? '') ?? '');
      const wanted = m[3] ?? '';
      return m[2] === '==' ? value === wanted : m[2] === '!=' ? value !== wanted : new RegExp(wanted).test(value);
    }),
  );
  const orderby = req.query.get('orderby') ?? '';
  if (orderby) {
    const key = orderby.replace(/^[-+]/, '');
    const dir = orderby.startsWith('-') ? -1 : 1;
    results = [...results].sort(
      (a, b) => dir * String(getPath(a, key) ?? '').localeCompare(String(getPath(b, key) ?? '')),
    );
  }
  const start = orderby ? Number(req.query.get('start') ?? 0) || 0 : 0;
  const limit = Math.min(Number(req.query.get('limit') ?? 300) || 300, 300);
  const page = results.slice(start, start + limit);
  const summaries =
    accept.format === 'xed-id'
      ? page.map((d) => ({ $id: d.$id, 'meta:altId': d['meta:altId'], version: d.version, title: d.title }))
      : page;
  const more = start + limit < results.length;
  return ok({
    results: summaries,
    _page: { orderby, next: more ? String(start + limit) : null, count: summaries.length },
    _links: more ? { next: { href: `${req.path}?orderby=${orderby || 'title'}&start=${start + limit}` } } : {},
  });
}
