import type { ApiContext } from './context';
import { xdmError, xdmPlainError } from './errors';
import { hex } from './ids';
import { isObject, type Json } from './http';
import { deepMerge } from './json-patch';
import type { SandboxState, XdmKind, XdmResource } from './store';
import { BEHAVIORS, findGlobalClass } from './xdm-globals';

/** The registry's own (legacy) resource type names: field groups are still "mixins" on the wire. */
export const RESOURCE_TYPE: Record<XdmKind, string> = { classes: 'classes', fieldgroups: 'mixins', schemas: 'schemas' };
const NOT_FOUND_CODE: Record<XdmKind, number> = { classes: 1010, fieldgroups: 1011, schemas: 1012 };
const SINGULAR: Record<XdmKind, string> = { classes: 'class', fieldgroups: 'field group', schemas: 'schema' };

const badRequest = (detail: string) => xdmPlainError(400, 'BadRequestError', detail);

/** Finds a tenant resource by `$id` or `meta:altId`. */
export function findXdm(sb: SandboxState, id: string, kind?: XdmKind): XdmResource | undefined {
  const direct = sb.xdm.get(id);
  const hit = direct ?? [...sb.xdm.values()].find((r) => r.doc['meta:altId'] === id);
  return hit && (!kind || hit.kind === kind) ? hit : undefined;
}

export function notFound(kind: XdmKind, id: string) {
  const detail = `The requested ${SINGULAR[kind]} resource ${id} with version 1 is not found.`;
  return xdmError(NOT_FOUND_CODE[kind], 404, 'Resource not found', detail);
}

/** Titles are unique across every resource type of the tenant container. */
export function assertTitleUnique(sb: SandboxState, title: string, selfId?: string): void {
  for (const r of sb.xdm.values()) {
    if (r.doc.title === title && r.doc.$id !== selfId) {
      const detail = `Object titles must be unique. An object ${String(r.doc.$id)} already exists with the same title`;
      throw xdmError(1521, 400, 'Title not unique', detail);
    }
  }
}

const refsOf = (doc: Json): string[] =>
  (Array.isArray(doc.allOf) ? doc.allOf : [])
    .map((e) => (isObject(e) && typeof e.$ref === 'string' ? e.$ref : undefined))
    .filter((r): r is string => r !== undefined);

/** Custom fields must sit under `_{tenantId}`. */
function assertNamespaced(doc: Json, tenantId: string): void {
  const blocks = [
    doc.properties,
    ...Object.values(isObject(doc.definitions) ? doc.definitions : {}).map((d) =>
      isObject(d) ? d.properties : undefined,
    ),
  ];
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const stray = Object.keys(block).find((k) => k !== `_${tenantId}`);
    if (stray) {
      throw xdmError(
        1020,
        400,
        'Namespace validation error',
        `A custom field is defined under an invalid namespace ('${stray}'). All custom fields must be defined under a top-level field named _${tenantId}.`,
      );
    }
  }
}

/** Validates a create/replace body and returns the stored document, keeping identity when `prev` is given. */
export function buildXdmDoc(kind: XdmKind, body: unknown, ctx: ApiContext, prev?: Json): Json {
  if (!isObject(body)) throw badRequest('The request body must be a JSON object.');
  if (typeof body.title !== 'string' || !body.title.trim()) throw badRequest('title is required.');
  if (body.type !== 'object') throw badRequest("type is required and must be 'object'.");
  const { tenantId } = ctx.emu.settings;
  const sb = ctx.sandbox;
  assertTitleUnique(sb, body.title, prev?.$id as string | undefined);
  const refs = refsOf(body);
  const meta: Json = {};
  if (kind === 'fieldgroups') {
    assertNamespaced(body, tenantId);
    Object.assign(meta, { 'meta:abstract': true, 'meta:extensible': true });
  } else if (kind === 'classes') {
    const behavior = refs.find((r) => BEHAVIORS.includes(r));
    if (!behavior) throw badRequest(`A class must extend ${BEHAVIORS.join(' or ')} through allOf.`);
    Object.assign(meta, { 'meta:extends': [behavior], 'meta:abstract': true, 'meta:extensible': true });
  } else {
    if (typeof body.description !== 'string') throw badRequest('description is required.');
    if (refs.length === 0) throw badRequest('allOf must reference a class.');
    const extendsIds: string[] = [];
    let classId: string | undefined;
    for (const ref of refs) {
      const global = findGlobalClass(ref);
      const tenant = findXdm(sb, ref);
      if (!global && !tenant) throw badRequest(`The referenced resource ${ref} does not exist.`);
      if (global || tenant?.kind === 'classes') {
        classId ??= ref;
        extendsIds.push(ref, ...((global ?? tenant?.doc)?.['meta:extends'] as string[]));
      } else extendsIds.push(ref);
    }
    if (!classId) throw badRequest('allOf must reference a class.');
    Object.assign(meta, {
      'meta:class': classId,
      'meta:extends': [...new Set(extendsIds)],
      'meta:abstract': false,
      'meta:extensible': false,
    });
  }
  const now = ctx.now;
  const created = prev?.['meta:registryMetadata'] as Json | undefined;
  const altHex = hex(32);
  const id = (prev?.$id as string) ?? `https://ns.adobe.com/${tenantId}/${RESOURCE_TYPE[kind]}/${altHex}`;
  return {
    ...body,
    ...meta,
    $id: id,
    'meta:altId': prev?.['meta:altId'] ?? `_${tenantId}.${RESOURCE_TYPE[kind]}.${altHex}`,
    'meta:resourceType': RESOURCE_TYPE[kind],
    version: prev ? bumpMinor(String(prev.version)) : '1.0',
    'meta:containerId': 'tenant',
    'meta:tenantNamespace': `_${tenantId}`,
    imsOrg: ctx.principal.orgId,
    'meta:registryMetadata': {
      'repo:createdDate': created?.['repo:createdDate'] ?? now,
      'repo:lastModifiedDate': now,
      'xdm:createdClientId': created?.['xdm:createdClientId'] ?? ctx.principal.clientId,
      'xdm:lastModifiedClientId': ctx.principal.clientId,
      eTag: hex(64),
    },
  };
}

export function bumpMinor(version: string): string {
  const [major = '1', minor = '0'] = version.split('.');
  return `${major}.${Number(minor) + 1}`;
}

/** `xed-full`: the document with every referenced class and field group merged into `properties`. */
export function resolveFull(doc: Json, sb: SandboxState, seen = new Set<string>()): Json {
  const props: Json = {};
  for (const ref of refsOf(doc)) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    const target = findGlobalClass(ref) ?? findXdm(sb, ref)?.doc;
    if (target) deepMerge(props, (resolveFull(target, sb, seen).properties as Json) ?? {});
  }
  for (const def of Object.values(isObject(doc.definitions) ? doc.definitions : {})) {
    if (isObject(def) && isObject(def.properties)) deepMerge(props, def.properties);
  }
  if (isObject(doc.properties)) deepMerge(props, doc.properties);
  return { ...doc, properties: props };
}
