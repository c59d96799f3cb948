import type { AepHttp, AepRequest } from './http';
import { unexpectedResponse } from './errors';
import { XED_FULL_CONTENT_TYPE } from './schema-registry';

const BASE = '/data/foundation/conversion';
const NAME = 'Data Prep';
const PAGE = 100;

export interface MappingRule {
  /** Source attribute path (`properties.guideProperties.name`), expression or static value. */
  source: string;
  /** XDM path, e.g. `_{tenantId}.uniqueId`. */
  destination: string;
  sourceType?: 'ATTRIBUTE' | 'EXPRESSION' | 'STATIC';
  name?: string;
  description?: string;
}

export interface MappingSetBody {
  name?: string;
  outputSchema: { schemaRef: { id: string; contentType: string } };
  mappings: (MappingRule & { sourceType: string })[];
}

export interface MappingSet {
  id: string;
  version: number;
  name?: string;
  mappings: (MappingRule & { id?: string })[];
  outputSchema?: { schemaRef: { id: string; contentType: string } };
  [key: string]: unknown;
}

/** `{id, version}` of a created or updated mapping set. */
export interface MappingSetVersion {
  id: string;
  version: number;
}

/** A mapping-set body in the current dialect (`source/destination/sourceType`). */
export function mappingSetBody(input: {
  name?: string;
  schemaId: string;
  mappings: readonly MappingRule[];
}): MappingSetBody {
  return {
    ...(input.name === undefined ? {} : { name: input.name }),
    outputSchema: { schemaRef: { id: input.schemaId, contentType: XED_FULL_CONTENT_TYPE } },
    mappings: input.mappings.map((m) => ({ ...m, sourceType: m.sourceType ?? 'ATTRIBUTE' })),
  };
}

/** Pure request builders for Data Prep mapping sets (there is no DELETE in this API). */
export const dataPrepRequests = {
  create: (body: MappingSetBody): AepRequest => ({
    method: 'POST',
    path: `${BASE}/mappingSets`,
    body,
    operation: `${NAME} POST /mappingSets`,
  }),
  get: (id: string, version?: number): AepRequest => ({
    method: 'GET',
    path: `${BASE}/mappingSets/${encodeURIComponent(id)}`,
    query: { version },
    operation: `${NAME} GET /mappingSets/{id}`,
  }),
  update: (id: string, body: MappingSetBody): AepRequest => ({
    method: 'PUT',
    path: `${BASE}/mappingSets/${encodeURIComponent(id)}`,
    body,
    operation: `${NAME} PUT /mappingSets/{id}`,
  }),
  /** `limit` and `start` are both required by the API. */
  list: (opts: { name?: string; limit?: number; start?: number } = {}): AepRequest => ({
    method: 'GET',
    path: `${BASE}/mappingSets`,
    query: { limit: opts.limit ?? PAGE, start: opts.start ?? 0, name: opts.name },
    operation: `${NAME} GET /mappingSets`,
  }),
  validate: (body: MappingSetBody): AepRequest => ({
    method: 'POST',
    path: `${BASE}/mappingSets/validate`,
    body,
    operation: `${NAME} POST /mappingSets/validate`,
  }),
  preview: (data: readonly unknown[], mappingSet: MappingSetBody): AepRequest => ({
    method: 'POST',
    path: `${BASE}/mappingSets/preview`,
    body: { data, mappingSet },
    operation: `${NAME} POST /mappingSets/preview`,
  }),
};

function parseVersion(data: unknown, operation: string): MappingSetVersion {
  const reply = (data ?? {}) as { id?: unknown; version?: unknown };
  if (typeof reply.id !== 'string' || !Number.isInteger(Number(reply.version)))
    throw unexpectedResponse(operation, '{id, version}');
  return { id: reply.id, version: Number(reply.version) };
}

/** Data Prep client. */
export class DataPrepClient {
  constructor(private readonly http: AepHttp) {}

  /** Creates a mapping set (HTTP 200, version 0). */
  async createMappingSet(body: MappingSetBody, signal?: AbortSignal): Promise<MappingSetVersion> {
    const req = dataPrepRequests.create(body);
    return parseVersion((await this.http.send(req, signal)).data, req.operation);
  }

  /** The latest version, or `version`. Throws `AepNotFound`. */
  async getMappingSet(id: string, version?: number, signal?: AbortSignal): Promise<MappingSet> {
    return (await this.http.send<MappingSet>(dataPrepRequests.get(id, version), signal)).data;
  }

  /** Full replace; returns the new version number (point the flow at it afterwards). */
  async updateMappingSet(id: string, body: MappingSetBody, signal?: AbortSignal): Promise<MappingSetVersion> {
    const req = dataPrepRequests.update(id, body);
    return parseVersion((await this.http.send(req, signal)).data, req.operation);
  }

  /** Finds by exact name across pages; with duplicates the oldest wins. */
  async findMappingSetByName(name: string, signal?: AbortSignal): Promise<MappingSet | undefined> {
    const found: MappingSet[] = [];
    for (let start = 0; ; start += PAGE) {
      const res = await this.http.send<{ data?: MappingSet[]; _page?: { count?: number } }>(
        dataPrepRequests.list({ name, limit: PAGE, start }),
        signal,
      );
      const data = res.data?.data ?? [];
      found.push(...data.filter((m) => m.name === name));
      if (data.length < PAGE || start + PAGE >= (res.data?._page?.count ?? 0)) break;
    }
    return found.sort((a, b) => Number(a.createdDate ?? 0) - Number(b.createdDate ?? 0))[0];
  }

  /** Server-side validation of each mapping. */
  async validateMappingSet(body: MappingSetBody, signal?: AbortSignal): Promise<{ status: string; errors: unknown }[]> {
    const res = await this.http.send<{ validationResponse?: { status: string; errors: unknown }[] }>(
      dataPrepRequests.validate(body),
      signal,
    );
    return res.data?.validationResponse ?? [];
  }

  /** Runs the mapping over sample rows. */
  async previewMappingSet(
    data: readonly unknown[],
    mappingSet: MappingSetBody,
    signal?: AbortSignal,
  ): Promise<{ data: unknown; errors: unknown }[]> {
    return (
      await this.http.send<{ data: unknown; errors: unknown }[]>(dataPrepRequests.preview(data, mappingSet), signal)
    ).data;
  }
}
