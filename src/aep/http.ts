import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { DEFAULT_TIMEOUT_MS, type AepClientConfig } from './config';
import { httpFailure, networkFailure } from './errors';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** A fully described platform call; built by pure functions, executed by `AepHttp`. */
export interface AepRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the platform URL, e.g. `/data/foundation/flowservice/flows`. */
  path: string;
  /** Arrays repeat the key (`property=a&property=b`). */
  query?: Record<string, QueryValue>;
  /** API-specific headers: Accept, If-Match, Content-Type. */
  headers?: Record<string, string>;
  body?: unknown;
  /** Names the call in errors, e.g. `Flow Service POST /flows`. */
  operation: string;
}

export interface AepResponse<Data = unknown> {
  status: number;
  data: Data;
  headers: Record<string, string>;
}

/** Where bearer tokens come from; `invalidate` drops a token the platform rejected. */
export interface TokenSource {
  getToken(signal?: AbortSignal): Promise<string>;
  invalidate(token: string): void;
}

/** Joins base URL, path and query; repeated keys for arrays, everything percent-encoded. */
export function buildUrl(base: string, path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const qs = params.toString();
  return `${base.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`;
}

/** The headers every platform.adobe.io call carries. */
export function platformHeaders(config: AepClientConfig, token: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'x-api-key': config.clientId,
    'x-gw-ims-org-id': config.orgId,
    'x-sandbox-name': config.sandbox,
  };
}

/** The body says the token itself is bad (FLOW-2114/2115 arrive as 400s). */
function isTokenRejection(res: AxiosResponse): boolean {
  if (res.status === 401) return true;
  const type = (res.data as { type?: unknown } | undefined)?.type;
  return res.status === 400 && typeof type === 'string' && /FLOW-211[45]-400$/.test(type);
}

/** Executes `AepRequest`s: auth headers, timeout, one token refresh on 401, and error classification. */
export class AepHttp {
  private readonly axios: AxiosInstance;
  private readonly timeoutMs: number;

  constructor(
    readonly config: AepClientConfig,
    private readonly tokens: TokenSource,
    options: { timeoutMs?: number; axios?: AxiosInstance } = {},
  ) {
    // No redirects: a redirect would carry the secret or token to a host the worker never checked.
    this.axios = options.axios ?? axios.create({ maxRedirects: 0 });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Sends the request. Statuses in `accept` (e.g. 404 for a delete) are returned instead of thrown;
   * every other non-2xx becomes an `AepError`.
   */
  async send<Data = unknown>(
    req: AepRequest,
    signal?: AbortSignal,
    accept: readonly number[] = [],
  ): Promise<AepResponse<Data>> {
    let token = await this.tokens.getToken(signal);
    let res = await this.attempt(req, token, signal);
    if (isTokenRejection(res)) {
      this.tokens.invalidate(token);
      token = await this.tokens.getToken(signal);
      res = await this.attempt(req, token, signal);
    }
    if (res.status >= 400 && !accept.includes(res.status)) {
      throw httpFailure(req.operation, res, [token, this.config.clientSecret]);
    }
    return { status: res.status, data: res.data as Data, headers: res.headers as Record<string, string> };
  }

  private async attempt(req: AepRequest, token: string, signal?: AbortSignal): Promise<AxiosResponse> {
    const headers: Record<string, string> = { ...platformHeaders(this.config, token), ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    try {
      return await this.axios.request({
        method: req.method,
        url: buildUrl(this.config.platformUrl, req.path, req.query),
        headers,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
        timeout: this.timeoutMs,
        validateStatus: () => true,
        transformResponse: parseJsonLenient,
      });
    } catch (err) {
      throw networkFailure(req.operation, err, [token, this.config.clientSecret]);
    }
  }
}

/** JSON when it parses, else the raw text (error pages are not always JSON). */
export function parseJsonLenient(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data === '' ? undefined : data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
