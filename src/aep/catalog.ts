import type { AepHttp, AepRequest } from './http';
import { unexpectedResponse } from './errors';
import { XED_FULL_CONTENT_TYPE } from './schema-registry';

const BASE = '/data/foundation/catalog';
const NAME = 'Catalog';

export interface DatasetBody {
  name: string;
  description?: string;
  schemaRef: { id: string; contentType: string };
  tags?: Record<string, string[]>;
}

export interface Dataset {
  id: string;
  name: string;
  schemaRef?: { id: string; contentType: string };
  created?: number;
  [key: string]: unknown;
}

/**
 * A dataset body bound to an XDM schema by `$id`. Its Catalog tags mark it as pendoflow's Pendo data and,
 * given `owner` (the dataflow's workflow id), whose.
 */
export function datasetBody(input: {
  name: string;
  description?: string;
  schemaId: string;
  owner?: string;
}): DatasetBody {
  return {
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    schemaRef: { id: input.schemaId, contentType: XED_FULL_CONTENT_TYPE },
    tags: { 'pendoflow/source': ['pendo'], ...(input.owner === undefined ? {} : { 'pendoflow/owner': [input.owner] }) },
  };
}

/** Pure request builders for Catalog datasets. */
export const catalogRequests = {
  create: (body: DatasetBody): AepRequest => ({
    method: 'POST',
    path: `${BASE}/dataSets`,
    body,
    operation: `${NAME} POST /dataSets`,
  }),
  get: (id: string): AepRequest => ({
    method: 'GET',
    path: `${BASE}/dataSets/${encodeURIComponent(id)}`,
    operation: `${NAME} GET /dataSets/{id}`,
  }),
  findByName: (name: string): AepRequest => ({
    method: 'GET',
    path: `${BASE}/dataSets`,
    query: { name, limit: 100 },
    operation: `${NAME} GET /dataSets?name=`,
  }),
  delete: (id: string): AepRequest => ({
    method: 'DELETE',
    path: `${BASE}/dataSets/${encodeURIComponent(id)}`,
    operation: `${NAME} DELETE /dataSets/{id}`,
  }),
};

/** Create answers `["@/dataSets/{id}"]`; returns the id. */
export function parseCreatedDatasetId(data: unknown): string {
  const ref = Array.isArray(data) ? data[0] : undefined;
  const id = typeof ref === 'string' ? /^@\/dataSets\/(.+)$/.exec(ref)?.[1] : undefined;
  if (!id) throw unexpectedResponse(`${NAME} POST /dataSets`, 'an ["@/dataSets/{id}"] body');
  return id;
}

/** Catalog answers objects keyed by id; returns them as a list. */
export function parseDatasets(data: unknown): Dataset[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  return Object.entries(data as Record<string, Record<string, unknown>>).map(([id, ds]) => ({
    ...ds,
    id,
    name: String(ds.name ?? ''),
  }));
}

/** Catalog datasets client. */
export class CatalogClient {
  constructor(private readonly http: AepHttp) {}

  /** Creates a dataset (201) and returns its id. */
  async createDataset(body: DatasetBody, signal?: AbortSignal): Promise<string> {
    return parseCreatedDatasetId((await this.http.send(catalogRequests.create(body), signal)).data);
  }

  /** Throws `AepNotFound` when absent. */
  async getDataset(id: string, signal?: AbortSignal): Promise<Dataset> {
    const found = parseDatasets((await this.http.send(catalogRequests.get(id), signal)).data)[0];
    if (!found) throw unexpectedResponse(`${NAME} GET /dataSets/{id}`, 'the dataset');
    return found;
  }

  /** Finds by exact name; with duplicates, the oldest wins so every caller adopts the same one. */
  async findDatasetByName(name: string, signal?: AbortSignal): Promise<Dataset | undefined> {
    const all = parseDatasets((await this.http.send(catalogRequests.findByName(name), signal)).data);
    return all.filter((d) => d.name === name).sort((a, b) => (a.created ?? 0) - (b.created ?? 0))[0];
  }

  /** Deletes; returns false when nothing matched (Catalog answers 200 `[]` or 404). */
  async deleteDataset(id: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.http.send<unknown>(catalogRequests.delete(id), signal, [404]);
    return res.status !== 404 && Array.isArray(res.data) && res.data.length > 0;
  }
}
