import type { Agent } from 'node:http';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance } from 'axios';
import { classifyHttpFailure, classifyTransportFailure } from './errors';
import { streamJsonArrayBatches } from './json-array-stream';
import type { ResourceDefinition, Row } from '../resources';
import { type AggregationBody, snapshotListPath } from './requests';

export interface PendoClientOptions {
  /** API base, e.g. https://app.eu.pendo.io or the emulator's http://127.0.0.1:4010. */
  baseUrl: string;
  integrationKey: string;
  /** Limit for the response to start, and for any silence while its body streams. */
  timeoutMs: number;
  signal?: AbortSignal;
  httpAgent?: Agent;
}

/** Pendo's v1 API. Responses are stream-parsed, so a million-row answer never sits in memory at once. */
export class PendoClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: PendoClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      headers: { 'x-pendo-integration-key': options.integrationKey, 'content-type': 'application/json' },
      timeout: options.timeoutMs,
      responseType: 'stream',
      validateStatus: () => true,
      maxRedirects: 0,
      httpAgent: options.httpAgent,
    });
  }

  /** `GET /api/v1/token/verify`: resolves when the key is valid for this host. */
  async verifyKey(): Promise<unknown> {
    const body = await this.readJson('GET', '/api/v1/token/verify');
    return body;
  }

  /**
   * Every object of a metadata resource, across all apps; a metadata schema is one object, stored by its kind.
   * A list of at most `holdBytes` is read whole before it is parsed and comes with the SHA-1 of its bytes, so a
   * caller that kept the digest of the list it applied last need not parse an identical one. A longer list
   * streams, with no digest, holding at most `holdBytes` plus one network chunk.
   */
  async readSnapshotList(def: ResourceDefinition, holdBytes: number): Promise<SnapshotList> {
    const path = snapshotListPath(def);
    const request = `GET ${path.split('?')[0]}`;
    const body = await this.open('GET', path, undefined, request);
    const chunks = withIdleTimeout(body, this.options.timeoutMs);
    const held: Buffer[] = [];
    let size = 0;
    let whole = false;
    try {
      for (;;) {
        const next = await chunks.next();
        if (next.done) {
          whole = true;
          break;
        }
        held.push(next.value);
        size += next.value.length;
        if (size > holdBytes) break;
      }
    } catch (err) {
      body.destroy();
      throw classifyTransportFailure(err, request);
    }
    const digest = whole ? held.reduce((h, b) => h.update(b), createHash('sha1')).digest('base64url') : undefined;
    async function* rest(): AsyncGenerator<Buffer> {
      yield* held.splice(0);
      if (!whole) yield* chunks;
    }
    async function* rows(): AsyncGenerator<Row> {
      try {
        if (def.singleObject) yield singleObject(def, await readText(rest(), 1 << 20), request);
        else for await (const batch of streamJsonArrayBatches(rest())) yield* batch as Row[];
      } catch (err) {
        throw classifyTransportFailure(err, request);
      } finally {
        body.destroy();
      }
    }
    const close = () => {
      void chunks.return(undefined);
      body.destroy();
    };
    return { ...(digest === undefined ? {} : { digest }), rows: rows(), close };
  }

  /** The `results` rows of an aggregation. */
  async *aggregate(body: AggregationBody): AsyncGenerator<Row> {
    for await (const rows of this.aggregateBatches(body)) yield* rows;
  }

  /** The `results` rows of an aggregation, in the batches they arrived in (one per network chunk). */
  aggregateBatches(body: AggregationBody): AsyncGenerator<Row[]> {
    return this.streamBatches('POST', '/api/v1/aggregation', body, 'results');
  }

  private async *streamBatches(
    method: string,
    path: string,
    data: unknown,
    key: string | undefined,
  ): AsyncGenerator<Row[]> {
    const request = `${method} ${path.split('?')[0]}`;
    const body = await this.open(method, path, data, request);
    try {
      yield* streamJsonArrayBatches(withIdleTimeout(body, this.options.timeoutMs), key) as AsyncGenerator<Row[]>;
    } catch (err) {
      throw classifyTransportFailure(err, request);
    } finally {
      body.destroy();
    }
  }

  private async readJson(method: string, path: string): Promise<unknown> {
    const request = `${method} ${path}`;
    const body = await this.open(method, path, undefined, request);
    try {
      return JSON.parse(await readText(withIdleTimeout(body, this.options.timeoutMs), 1 << 20));
    } catch (err) {
      throw classifyTransportFailure(err, request);
    }
  }

  private async open(method: string, path: string, data: unknown, request: string): Promise<Readable> {
    let res;
    try {
      res = await this.http.request<Readable>({ method, url: path, data, signal: this.options.signal });
    } catch (err) {
      throw classifyTransportFailure(err, request);
    }
    if (res.status >= 200 && res.status < 300) return res.data;
    const text = await readText(res.data, 4096).catch(() => '');
    const retryAfter = res.headers['retry-after'] as string | undefined;
    throw classifyHttpFailure({ status: res.status, body: text, retryAfter, request });
  }
}

/** One read of a metadata resource's list. */
export interface SnapshotList {
  /** SHA-1 of the whole response, when it was held whole. */
  digest?: string;
  /** The list's objects, parsed as they are read; reading them to the end (or failing) releases the response. */
  rows: AsyncGenerator<Row>;
  /** Releases the response when its rows are not read. */
  close(): void;
}

function singleObject(def: ResourceDefinition, text: string, request: string): Row {
  const body: unknown = JSON.parse(text);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw classifyTransportFailure(new SyntaxError(`${def.name} is not a JSON object`), request);
  }
  return { id: def.singleObject, ...(body as Row) };
}

/** Passes chunks through, failing the stream when none arrives for `ms`. */
async function* withIdleTimeout(stream: Readable, ms: number): AsyncGenerator<Buffer> {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const err = new Error(`no data from Pendo for ${ms} ms`);
      err.name = 'TimeoutError';
      stream.destroy(err);
    }, ms);
  };
  arm();
  try {
    for await (const chunk of stream) {
      arm();
      yield chunk as Buffer;
    }
  } finally {
    clearTimeout(timer);
  }
}

async function readText(chunks: AsyncIterable<Buffer | string>, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    parts.push(buf);
    size += buf.length;
    if (size >= max) break;
  }
  return Buffer.concat(parts).toString('utf8').slice(0, max);
}
