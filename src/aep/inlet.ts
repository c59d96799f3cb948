import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { DEFAULT_TIMEOUT_MS } from './config';
import {
  AepError,
  classifyHttpError,
  httpFailure,
  networkFailure,
  unexpectedResponse,
  type AepErrorInfo,
} from './errors';
import { AepErrorTypes, type AepErrorType } from '../workflows/common/errors';
import { parseJsonLenient, type TokenSource } from './http';

/** Stay under DCS's 1 MB request limit with a margin for headers and rounding. */
export const DCS_MAX_REQUEST_BYTES = 1_000_000;

export type MessageResult =
  | { index: number; ok: true; xactionId: string }
  | {
      index: number;
      ok: false;
      type: AepErrorType;
      retryable: boolean;
      status?: number;
      message: string;
      retryAfterMs?: number;
    };

export interface InletBatch {
  /** Positions of the messages in the caller's array. */
  indices: number[];
  /** `{"messages":[...]}`, serialised once. */
  body: string;
}

/** `https://dcs…/collection/{inletId}` → `https://dcs…/collection/batch/{inletId}` (query dropped). */
export function batchUrlFor(inletUrl: string): string {
  const url = new URL(inletUrl);
  const match = /^(.*\/collection)\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) throw new Error(`Not a DCS inlet URL: ${url.origin}${url.pathname}`);
  return `${url.origin}${match[1]}/batch/${match[2]}`;
}

/** The inlet URL with `syncValidation=true` added to its query. */
function withSyncValidation(inletUrl: string): string {
  const separator = inletUrl.includes('?') ? '&' : '?';
  return `${inletUrl}${separator}syncValidation=true`;
}

/** Greedily packs messages, in order, into batch bodies of at most `maxBytes`; too-big messages are returned apart. */
export function packBatches(
  messages: readonly unknown[],
  maxBytes = DCS_MAX_REQUEST_BYTES,
): { batches: InletBatch[]; oversized: number[] } {
  const overhead = Buffer.byteLength('{"messages":[]}');
  const batches: InletBatch[] = [];
  const oversized: number[] = [];
  let parts: string[] = [];
  let indices: number[] = [];
  let size = overhead;
  const flush = () => {
    if (parts.length) batches.push({ indices, body: `{"messages":[${parts.join(',')}]}` });
    parts = [];
    indices = [];
    size = overhead;
  };
  messages.forEach((message, index) => {
    const json = JSON.stringify(message);
    const bytes = Buffer.byteLength(json);
    if (overhead + bytes > maxBytes) {
      oversized.push(index);
      return;
    }
    if (size + bytes + (parts.length ? 1 : 0) > maxBytes) flush();
    size += bytes + (parts.length ? 1 : 0);
    parts.push(json);
    indices.push(index);
  });
  flush();
  return { batches, oversized };
}

/** Reads a 207 answer; items carry `xactionId` or a `status` (docs say `statusCode`, live DCS says `status`). */
export function parseBatchResponse(data: unknown, indices: readonly number[], operation: string): MessageResult[] {
  const responses = (data as { responses?: unknown } | undefined)?.responses;
  if (!Array.isArray(responses) || responses.length !== indices.length) {
    throw unexpectedResponse(operation, 'one response per message');
  }
  return indices.map((index, position) => {
    const response = (responses[position] ?? {}) as {
      xactionId?: string;
      status?: number | string;
      statusCode?: number | string;
      message?: string;
    };
    const status = Number(response.status ?? response.statusCode ?? 200);
    if (status < 300 && typeof response.xactionId === 'string')
      return { index, ok: true, xactionId: response.xactionId };
    return failed(index, classifyHttpError({ operation, status, body: { message: response.message } }));
  });
}

const failed = (index: number, info: AepErrorInfo): MessageResult => ({
  index,
  ok: false,
  type: info.type,
  retryable: info.retryable,
  status: info.status,
  message: info.message,
  ...(info.retryAfterMs === undefined ? {} : { retryAfterMs: info.retryAfterMs }),
});

export interface InletClientOptions {
  timeoutMs?: number;
  axios?: AxiosInstance;
  /** Only for inlets created with `authenticationRequired: true`. */
  auth?: { tokens: TokenSource; orgId: string };
}

/** Streaming ingestion (DCS) client; Pendo inlets are unauthenticated. */
export class InletClient {
  private readonly axios: AxiosInstance;

  constructor(private readonly options: InletClientOptions = {}) {
    this.axios = options.axios ?? axios.create();
  }

  /** Posts one raw message to `{inletUrl}` with `x-adobe-flow-id`; throws `AepError` on failure. */
  async send(
    inletUrl: string,
    flowId: string,
    message: unknown,
    opts: { signal?: AbortSignal; syncValidation?: boolean } = {},
  ): Promise<{ xactionId: string; receivedTimeMs: number }> {
    const url = opts.syncValidation ? withSyncValidation(inletUrl) : inletUrl;
    const operation = 'DCS POST /collection/{inletId}';
    const res = await this.post(url, flowId, JSON.stringify(message), operation, opts.signal);
    const data = res.data as { xactionId?: string; receivedTimeMs?: number } | undefined;
    if (!data?.xactionId) throw unexpectedResponse(operation, 'an xactionId');
    return { xactionId: data.xactionId, receivedTimeMs: Number(data.receivedTimeMs ?? Date.now()) };
  }

  /**
   * Posts messages through `/collection/batch/{inletId}` in requests of at most `maxBytes`, and returns one
   * result per message, in input order. A refusal (`ok: false`, not retryable) is always a verdict on that
   * message alone: a per-message status in the 207, or a request of that one message refused. A request
   * refused with 413 or 400 is split in halves until each part is accepted or holds one message. A transient
   * failure (429, 5xx, network) marks its messages retryable. Any other failure of a whole request (401 and
   * 403 after one fresh token, 404...) says nothing about its messages: it throws the `AepError`, as does
   * cancellation.
   */
  async sendBatch(
    inletUrl: string,
    flowId: string,
    messages: readonly unknown[],
    opts: { signal?: AbortSignal; maxBytes?: number } = {},
  ): Promise<MessageResult[]> {
    const operation = 'DCS POST /collection/batch/{inletId}';
    const { batches, oversized } = packBatches(messages, opts.maxBytes ?? DCS_MAX_REQUEST_BYTES);
    const results: MessageResult[] = oversized.map((index) =>
      failed(
        index,
        classifyHttpError({
          operation,
          status: 413,
          body: { message: `message ${index} alone exceeds the 1 MB request limit` },
        }),
      ),
    );
    const url = batchUrlFor(inletUrl);
    const request = { url, flowId, messages, operation, signal: opts.signal };
    for (const batch of batches) results.push(...(await this.sendPart(request, batch.indices, batch.body)));
    return results.sort((a, b) => a.index - b.index);
  }

  private async sendPart(
    request: { url: string; flowId: string; messages: readonly unknown[]; operation: string; signal?: AbortSignal },
    indices: number[],
    body = `{"messages":[${indices.map((i) => JSON.stringify(request.messages[i])).join(',')}]}`,
  ): Promise<MessageResult[]> {
    try {
      const res = await this.post(request.url, request.flowId, body, request.operation, request.signal);
      return parseBatchResponse(res.data, indices, request.operation);
    } catch (err) {
      if (!(err instanceof AepError) || err.type === AepErrorTypes.Cancelled) throw err;
      if (err.status === 413 || err.status === 400) {
        if (indices.length === 1) return [failed(indices[0] as number, err)];
        const half = Math.ceil(indices.length / 2);
        return [
          ...(await this.sendPart(request, indices.slice(0, half))),
          ...(await this.sendPart(request, indices.slice(half))),
        ];
      }
      if (err.retryable) return indices.map((index) => failed(index, err));
      throw err;
    }
  }

  private async post(
    url: string,
    flowId: string,
    body: string,
    operation: string,
    signal?: AbortSignal,
  ): Promise<AxiosResponse> {
    const auth = this.options.auth;
    const token = auth ? await auth.tokens.getToken(signal) : undefined;
    try {
      return await this.postOnce(url, flowId, body, operation, token, signal);
    } catch (err) {
      // A token AEP refused may have been revoked before its expiry: one fresh one, then the error stands.
      const refused = err instanceof AepError && (err.status === 401 || err.status === 403);
      if (!refused || !auth || !token) throw err;
      auth.tokens.invalidate(token);
      return await this.postOnce(url, flowId, body, operation, await auth.tokens.getToken(signal), signal);
    }
  }

  private async postOnce(
    url: string,
    flowId: string,
    body: string,
    operation: string,
    token: string | undefined,
    signal?: AbortSignal,
  ): Promise<AxiosResponse> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-adobe-flow-id': flowId };
    if (this.options.auth && token) {
      headers.Authorization = `Bearer ${token}`;
      headers['x-gw-ims-org-id'] = this.options.auth.orgId;
    }
    let res: AxiosResponse;
    try {
      res = await this.axios.post(url, body, {
        headers,
        signal,
        timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        validateStatus: () => true,
        transformResponse: parseJsonLenient,
        maxBodyLength: Infinity,
      });
    } catch (err) {
      throw networkFailure(operation, err, [token]);
    }
    if (res.status >= 400) {
      throw httpFailure(operation, res, [token]);
    }
    return res;
  }
}
