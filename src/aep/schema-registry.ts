import type { AepHttp, AepRequest } from './http';
import { isAepError, unexpectedResponse } from './errors';
import { AepErrorTypes } from '../workflows/common/errors';

const BASE = '/data/foundation/schemaregistry';
const NAME = 'Schema Registry';

/** Accept values: summaries for lists, raw (`xed`) or resolved (`xed-full`) documents for lookups. */
export const XED_ID = 'application/vnd.adobe.xed-id+json';
export const XED_V1 = 'application/vnd.adobe.xed+json; version=1';
export const XED_FULL_V1 = 'application/vnd.adobe.xed-full+json; version=1';
/** How Catalog, Data Prep and target connections reference a schema. */
export const XED_FULL_CONTENT_TYPE = 'application/vnd.adobe.xed-full+json;version=1';

/** Tenant-container resource kinds (field groups are the former "mixins"). */
export type XdmKind = 'classes' | 'fieldgroups' | 'schemas';

export interface XdmSummary {
  $id: string;
  'meta:altId': string;
  version: string;
  title: string;
}

export type XdmResource = XdmSummary & Record<string, unknown>;

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** Resource ids go in the path URL-encoded (`$id`) or as `meta:altId`. */
const idPath = (kind: XdmKind, id: string) => `${BASE}/tenant/${kind}/${encodeURIComponent(id)}`;

/** Pure request builders for the Schema Registry. */
export const schemaRegistryRequests = {
  stats: (): AepRequest => ({ method: 'GET', path: `${BASE}/stats`, operation: `${NAME} GET /stats` }),
  create: (kind: XdmKind, body: object): AepRequest => ({
    method: 'POST',
    path: `${BASE}/tenant/${kind}`,
    body,
    operation: `${NAME} POST /tenant/${kind}`,
  }),
  get: (kind: XdmKind, id: string, accept = XED_V1): AepRequest => ({
    method: 'GET',
    path: idPath(kind, id),
    headers: { Accept: accept },
    operation: `${NAME} GET /tenant/${kind}/{id}`,
  }),
  findByTitle: (kind: XdmKind, title: string): AepRequest => ({
    method: 'GET',
    path: `${BASE}/tenant/${kind}`,
    query: { property: `title==${title}` },
    headers: { Accept: XED_ID },
    operation: `${NAME} GET /tenant/${kind}?property=title==`,
  }),
  replace: (kind: XdmKind, id: string, body: object): AepRequest => ({
    method: 'PUT',
    path: idPath(kind, id),
    body,
    operation: `${NAME} PUT /tenant/${kind}/{id}`,
  }),
  patch: (kind: XdmKind, id: string, ops: readonly JsonPatchOp[]): AepRequest => ({
    method: 'PATCH',
    path: idPath(kind, id),
    body: ops,
    operation: `${NAME} PATCH /tenant/${kind}/{id}`,
  }),
  delete: (kind: XdmKind, id: string): AepRequest => ({
    method: 'DELETE',
    path: idPath(kind, id),
    operation: `${NAME} DELETE /tenant/${kind}/{id}`,
  }),
};

/** Schema Registry client (tenant container). Every call takes an optional AbortSignal. */
export class SchemaRegistryClient {
  constructor(private readonly http: AepHttp) {}

  /** `GET /stats` → the tenant id under which custom fields live (`_{tenantId}`). */
  async getTenantId(signal?: AbortSignal): Promise<string> {
    const res = await this.http.send<{ tenantId?: string }>(schemaRegistryRequests.stats(), signal);
    if (!res.data?.tenantId) throw unexpectedResponse(`${NAME} GET /stats`, 'a tenantId');
    return res.data.tenantId;
  }

  /** Creates a class, field group or schema (201); a taken title throws `AepConflict` (XDM-1521-400). */
  async create(kind: XdmKind, body: object, signal?: AbortSignal): Promise<XdmResource> {
    return (await this.http.send<XdmResource>(schemaRegistryRequests.create(kind, body), signal)).data;
  }

  /** Looks up by `$id` or `meta:altId`; `full` resolves every `$ref`. Throws `AepNotFound`. */
  async get(kind: XdmKind, id: string, opts: { full?: boolean } = {}, signal?: AbortSignal): Promise<XdmResource> {
    const req = schemaRegistryRequests.get(kind, id, opts.full ? XED_FULL_V1 : XED_V1);
    return (await this.http.send<XdmResource>(req, signal)).data;
  }

  /** Finds by exact title (titles are unique in the tenant). */
  async findByTitle(kind: XdmKind, title: string, signal?: AbortSignal): Promise<XdmSummary | undefined> {
    const res = await this.http.send<{ results?: XdmSummary[] }>(
      schemaRegistryRequests.findByTitle(kind, title),
      signal,
    );
    return (res.data?.results ?? []).find((r) => r.title === title);
  }

  /**
   * Find-or-create by title: looks up first, creates if absent, and adopts the existing resource
   * when a concurrent create won the title (XDM-1521-400).
   */
  async ensure(
    kind: XdmKind,
    body: { title: string },
    signal?: AbortSignal,
  ): Promise<{ resource: XdmSummary; created: boolean }> {
    const existing = await this.findByTitle(kind, body.title, signal);
    if (existing) return { resource: existing, created: false };
    try {
      return { resource: await this.create(kind, body, signal), created: true };
    } catch (err) {
      if (!isAepError(err) || err.type !== AepErrorTypes.Conflict) throw err;
      const adopted = await this.findByTitle(kind, body.title, signal);
      if (!adopted) throw err;
      return { resource: adopted, created: false };
    }
  }

  /** Full replace (PUT); the minor version is bumped. */
  async replace(kind: XdmKind, id: string, body: object, signal?: AbortSignal): Promise<XdmResource> {
    return (await this.http.send<XdmResource>(schemaRegistryRequests.replace(kind, id, body), signal)).data;
  }

  /** JSON-Patch update (no If-Match on this API); returns the full resource. */
  async patch(kind: XdmKind, id: string, ops: readonly JsonPatchOp[], signal?: AbortSignal): Promise<XdmResource> {
    return (await this.http.send<XdmResource>(schemaRegistryRequests.patch(kind, id, ops), signal)).data;
  }

  /** Deletes; returns false when it was already gone (404). */
  async delete(kind: XdmKind, id: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.http.send(schemaRegistryRequests.delete(kind, id), signal, [404]);
    return res.status !== 404;
  }
}
