import { isAepError, unexpectedResponse } from './errors';
import { AepErrorTypes } from '../workflows/common/errors';
import type { AepHttp } from './http';
import type { JsonPatchOp } from './schema-registry';
import {
  flowServiceRequests as requests,
  nextContinuationToken,
  propertyEquals,
  type FlowAction,
  type FlowServiceKind,
  type ListOptions,
} from './flow-service-requests';

export interface Created {
  id: string;
  /** Quoted, as returned: `"9c01173c-0000-0200-0000-63f32d7c0000"`. */
  etag: string;
}

export interface FlowServiceItem {
  id: string;
  name: string;
  description?: string;
  etag: string;
  state?: string;
  createdAt?: number;
  updatedAt?: number;
  [key: string]: unknown;
}

export interface Flow extends FlowServiceItem {
  sourceConnectionIds: string[];
  targetConnectionIds: string[];
  transformations?: { name: string; params: { mappingId: string; mappingVersion: number | string } }[];
  options?: { inletUrl?: string; [key: string]: unknown };
  lastRunDetails?: { id: string; state: string; startedAtUTC: number; completedAtUTC: number };
}

export interface FlowRun {
  id: string;
  flowId: string;
  createdAt?: number;
  metrics: {
    durationSummary?: { startedAtUTC?: number; completedAtUTC?: number };
    recordSummary?: { inputRecordCount?: number; outputRecordCount?: number; failedRecordCount?: number };
    statusSummary?: { status?: string; errors?: { code: string; message: string; recordCount?: number }[] };
  };
  [key: string]: unknown;
}

/** Flow Service client: connections, source/target connections, flows and runs. */
export class FlowServiceClient {
  constructor(private readonly http: AepHttp) {}

  /** Creates (201 `{id, etag}`). Names are not unique in AEP: find by name first. */
  async create(kind: FlowServiceKind, body: object, signal?: AbortSignal): Promise<Created> {
    const req = requests.create(kind, body);
    const data = (await this.http.send<Partial<Created>>(req, signal)).data;
    if (!data?.id || !data.etag) throw unexpectedResponse(req.operation, '{id, etag}');
    return { id: data.id, etag: data.etag };
  }

  /** Unwraps `{items: [item]}`; throws `AepNotFound`. */
  async get<Item extends FlowServiceItem = FlowServiceItem>(
    kind: FlowServiceKind,
    id: string,
    signal?: AbortSignal,
  ): Promise<Item> {
    const req = requests.get(kind, id);
    const item = (await this.http.send<{ items?: Item[] }>(req, signal)).data?.items?.[0];
    if (!item) throw unexpectedResponse(req.operation, 'an item');
    return item;
  }

  /** Like `get`, but `undefined` when absent. */
  async tryGet<Item extends FlowServiceItem = FlowServiceItem>(
    kind: FlowServiceKind,
    id: string,
    signal?: AbortSignal,
  ): Promise<Item | undefined> {
    const res = await this.http.send<{ items?: Item[] }>(requests.get(kind, id), signal, [404]);
    return res.status === 404 ? undefined : res.data?.items?.[0];
  }

  /** Every item matching the filters, following continuation tokens. */
  async list<Item extends FlowServiceItem = FlowServiceItem>(
    kind: FlowServiceKind,
    opts: ListOptions = {},
    signal?: AbortSignal,
  ): Promise<Item[]> {
    return this.listAll<Item>(kind, opts, signal);
  }

  /** Exact-name lookup (`property=name==…`); with duplicates the oldest wins. */
  async findByName<Item extends FlowServiceItem = FlowServiceItem>(
    kind: FlowServiceKind,
    name: string,
    signal?: AbortSignal,
  ): Promise<Item | undefined> {
    const items = await this.listAll<Item>(kind, { property: [propertyEquals('name', name)] }, signal);
    return items.filter((i) => i.name === name).sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0))[0];
  }

  /** PATCH with If-Match; a stale etag throws `AepPreconditionFailed`. Returns the new etag. */
  async patch(
    kind: FlowServiceKind,
    id: string,
    ops: readonly JsonPatchOp[],
    etag: string,
    signal?: AbortSignal,
  ): Promise<Created> {
    const req = requests.patch(kind, id, ops, etag);
    const data = (await this.http.send<Partial<Created>>(req, signal)).data;
    if (!data?.etag) throw unexpectedResponse(req.operation, '{id, etag}');
    return { id: data.id ?? id, etag: data.etag };
  }

  /**
   * Read-modify-write: reads the entity, asks `diff` for the operations still needed (none = done)
   * and PATCHes with the etag just read; on 412 it re-reads and re-diffs, up to `maxAttempts`.
   */
  async update<Item extends FlowServiceItem = FlowServiceItem>(
    kind: FlowServiceKind,
    id: string,
    diff: (current: Item) => readonly JsonPatchOp[],
    opts: { maxAttempts?: number; signal?: AbortSignal } = {},
  ): Promise<{ id: string; etag: string; applied: boolean; attempts: number }> {
    const maxAttempts = opts.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.get<Item>(kind, id, opts.signal);
      const ops = diff(current);
      if (ops.length === 0) return { id, etag: current.etag, applied: false, attempts: attempt };
      try {
        const res = await this.patch(kind, id, ops, current.etag, opts.signal);
        return { ...res, applied: true, attempts: attempt };
      } catch (err) {
        if (!isAepError(err) || err.type !== AepErrorTypes.PreconditionFailed || attempt >= maxAttempts) throw err;
      }
    }
  }

  /** Deletes; returns false when it was already gone (404 counts as done). */
  async delete(kind: FlowServiceKind, id: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.http.send(requests.delete(kind, id), signal, [404]);
    return res.status !== 404;
  }

  /** `POST /{kind}/{id}/action?op=enable|disable`. Check `state` first: repeating an action is a 1422. */
  async action(
    kind: FlowServiceKind,
    id: string,
    op: FlowAction,
    opts: { etag?: string; signal?: AbortSignal } = {},
  ): Promise<Created> {
    const req = requests.action(kind, id, op, opts.etag);
    const data = (await this.http.send<Partial<Created>>(req, opts.signal)).data;
    if (!data?.etag) throw unexpectedResponse(req.operation, '{id, etag}');
    return { id: data.id ?? id, etag: data.etag };
  }

  /** `options.inletUrl` of a flow, once Adobe has assigned it. */
  async getInletUrl(flowId: string, signal?: AbortSignal): Promise<string | undefined> {
    return (await this.get<Flow>('flows', flowId, signal)).options?.inletUrl;
  }

  /** Runs of a flow, newest first; `sinceMs` filters on `metrics.durationSummary.startedAtUTC`. */
  async listRuns(
    flowId: string,
    opts: { sinceMs?: number; limit?: number } = {},
    signal?: AbortSignal,
  ): Promise<FlowRun[]> {
    const property = [propertyEquals('flowId', flowId)];
    if (opts.sinceMs !== undefined) property.push(`metrics.durationSummary.startedAtUTC>${opts.sinceMs}`);
    const runs = await this.listAll<FlowRun & FlowServiceItem>(
      'runs',
      { property, orderby: '-createdAt' },
      signal,
      opts.limit,
    );
    return opts.limit === undefined ? runs : runs.slice(0, opts.limit);
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<FlowRun> {
    const req = requests.run(runId);
    const run = (await this.http.send<{ items?: FlowRun[] }>(req, signal)).data?.items?.[0];
    if (!run) throw unexpectedResponse(req.operation, 'an item');
    return run;
  }

  private async listAll<Item>(
    kind: FlowServiceKind | 'runs',
    opts: ListOptions,
    signal?: AbortSignal,
    max = Infinity,
  ): Promise<Item[]> {
    const out: Item[] = [];
    let continuationToken = opts.continuationToken;
    do {
      const res = await this.http.send<{ items?: Item[] }>(requests.list(kind, { ...opts, continuationToken }), signal);
      out.push(...(res.data?.items ?? []));
      continuationToken = nextContinuationToken(res.data);
    } while (continuationToken && out.length < max);
    return out;
  }
}
