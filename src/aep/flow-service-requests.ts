import { DATA_LAKE_CONNECTION_SPEC, PENDO_CONNECTION_SPEC, PENDO_PROVIDER_ID, STREAMING_FLOW_SPEC } from './constants';
import type { AepRequest } from './http';
import { XED_FULL_CONTENT_TYPE, type JsonPatchOp } from './schema-registry';

const BASE = '/data/foundation/flowservice';
const NAME = 'Flow Service';

/** Flow Service collections with create/get/list/patch/delete/action. */
export type FlowServiceKind = 'connections' | 'sourceConnections' | 'targetConnections' | 'flows';
export type FlowAction = 'enable' | 'disable';

export interface ListOptions {
  /** `property=` filters, ANDed: `name==x`, `sourceConnectionIds[]==id`, `createdAt>ms`. */
  property?: readonly string[];
  /** `name`, `-name`, `+createdAt`, `-createdAt`. */
  orderby?: string;
  limit?: number;
  continuationToken?: string;
}

const item = (kind: string, id: string) => `${BASE}/${kind}/${encodeURIComponent(id)}`;

/** Pure request builders for Flow Service. */
export const flowServiceRequests = {
  create: (kind: FlowServiceKind, body: object): AepRequest => ({
    method: 'POST',
    path: `${BASE}/${kind}`,
    body,
    operation: `${NAME} POST /${kind}`,
  }),
  get: (kind: FlowServiceKind, id: string): AepRequest => ({
    method: 'GET',
    path: item(kind, id),
    operation: `${NAME} GET /${kind}/{id}`,
  }),
  list: (kind: FlowServiceKind | 'runs', opts: ListOptions = {}): AepRequest => ({
    method: 'GET',
    path: `${BASE}/${kind}`,
    query: {
      property: opts.property,
      orderby: opts.orderby,
      limit: opts.limit,
      continuationToken: opts.continuationToken,
    },
    operation: `${NAME} GET /${kind}`,
  }),
  /** Send the etag exactly as returned, quotes included. */
  patch: (kind: FlowServiceKind, id: string, ops: readonly JsonPatchOp[], etag: string): AepRequest => ({
    method: 'PATCH',
    path: item(kind, id),
    headers: { 'If-Match': etag },
    body: ops,
    operation: `${NAME} PATCH /${kind}/{id}`,
  }),
  delete: (kind: FlowServiceKind, id: string): AepRequest => ({
    method: 'DELETE',
    path: item(kind, id),
    operation: `${NAME} DELETE /${kind}/{id}`,
  }),
  /** No body, as in Adobe's docs; If-Match is optional. */
  action: (kind: FlowServiceKind, id: string, op: FlowAction, etag?: string): AepRequest => ({
    method: 'POST',
    path: `${item(kind, id)}/action`,
    query: { op },
    ...(etag ? { headers: { 'If-Match': etag } } : {}),
    operation: `${NAME} POST /${kind}/{id}/action?op=${op}`,
  }),
  run: (id: string): AepRequest => ({ method: 'GET', path: item('runs', id), operation: `${NAME} GET /runs/{id}` }),
};

/** `property=` value for an exact match; Flow Service reads commas as OR, so names must not contain one. */
export function propertyEquals(field: string, value: string): string {
  if (value.includes(','))
    throw new Error(`Flow Service filters cannot match values containing ',' (${field}: ${value})`);
  return `${field}==${value}`;
}

/** Reads `continuationToken` out of `_links.next.href`. */
export function nextContinuationToken(data: unknown): string | undefined {
  const href = (data as { _links?: { next?: { href?: unknown } } } | undefined)?._links?.next?.href;
  if (typeof href !== 'string') return undefined;
  return new URLSearchParams(href.split('?')[1] ?? '').get('continuationToken') ?? undefined;
}

/** The Pendo source connection: no base connection, JSON only. */
export function pendoSourceConnectionBody(input: { name: string; description?: string }): object {
  return {
    name: input.name,
    description: input.description ?? '',
    providerId: PENDO_PROVIDER_ID,
    connectionSpec: PENDO_CONNECTION_SPEC,
    data: { format: 'json' },
  };
}

/** The data-lake target connection writing into `datasetId` with schema `schemaId`. */
export function dataLakeTargetConnectionBody(input: {
  name: string;
  description?: string;
  schemaId: string;
  datasetId: string;
}): object {
  return {
    name: input.name,
    description: input.description ?? '',
    connectionSpec: DATA_LAKE_CONNECTION_SPEC,
    data: { format: 'json', schema: { id: input.schemaId, version: XED_FULL_CONTENT_TYPE } },
    params: { dataSetId: input.datasetId },
  };
}

/** The transformation element; its name must be exactly `Mapping`. */
export const mappingTransformation = (mappingId: string, mappingVersion: number) => ({
  name: 'Mapping',
  params: { mappingId, mappingVersion },
});

/** A streaming flow (no scheduleParams) from one source to one target through a mapping set. */
export function streamingFlowBody(input: {
  name: string;
  description?: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  mappingId: string;
  mappingVersion: number;
}): object {
  return {
    name: input.name,
    description: input.description ?? '',
    flowSpec: STREAMING_FLOW_SPEC,
    sourceConnectionIds: [input.sourceConnectionId],
    targetConnectionIds: [input.targetConnectionId],
    transformations: [mappingTransformation(input.mappingId, input.mappingVersion)],
  };
}
