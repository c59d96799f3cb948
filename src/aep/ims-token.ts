import { createHash } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { AEP_DEFAULT_SCOPES, DEFAULT_TIMEOUT_MS, type AepClientConfig } from './config';
import { AepError, httpFailure, networkFailure } from './errors';
import { AepErrorTypes } from '../workflows/common/errors';
import { parseJsonLenient, type TokenSource } from './http';

export const IMS_TOKEN_PATH = '/ims/token/v3';
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export interface ImsToken {
  accessToken: string;
  expiresAtMs: number;
  /** When to fetch a new one: before expiry by the margin, capped at half the lifetime. */
  refreshAtMs: number;
}

/** The client-credentials token request (form-encoded body, as IMS recommends over the query). */
export function buildTokenRequest(config: AepClientConfig): {
  url: string;
  body: string;
  headers: Record<string, string>;
} {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: config.clientId,
    client_secret: config.clientSecret,
    scope: (config.scopes ?? AEP_DEFAULT_SCOPES).join(','),
  }).toString();
  return {
    url: `${config.imsUrl.replace(/\/+$/, '')}${IMS_TOKEN_PATH}`,
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  };
}

/** Parses IMS's answer; `expires_in` is in seconds for the OAuth server-to-server flow. */
export function parseTokenResponse(
  data: unknown,
  nowMs: number,
  refreshMarginMs = DEFAULT_REFRESH_MARGIN_MS,
): ImsToken {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const expiresIn = Number(fields.expires_in);
  if (
    typeof fields.access_token !== 'string' ||
    !fields.access_token ||
    !Number.isFinite(expiresIn) ||
    expiresIn <= 0
  ) {
    throw new AepError({
      type: AepErrorTypes.UnexpectedResponse,
      retryable: false,
      message: 'IMS POST /ims/token/v3 returned no access_token/expires_in. Check the IMS URL.',
      operation: 'IMS POST /ims/token/v3',
    });
  }
  const lifetimeMs = expiresIn * 1000;
  return {
    accessToken: fields.access_token,
    expiresAtMs: nowMs + lifetimeMs,
    refreshAtMs: nowMs + lifetimeMs - Math.min(refreshMarginMs, lifetimeMs / 2),
  };
}

/** Cache key: one token per IMS host, org, client and secret (a rotated secret gets a new token). */
export function tokenCacheKey(config: AepClientConfig): string {
  const secret = createHash('sha256').update(config.clientSecret).digest('hex').slice(0, 16);
  return [config.imsUrl, config.orgId, config.clientId, secret, (config.scopes ?? AEP_DEFAULT_SCOPES).join(',')].join(
    '|',
  );
}

interface CacheEntry {
  token?: ImsToken;
  inflight?: Promise<ImsToken>;
}

/** Tokens shared by every client of a process, so a worker holds one token per credential. */
export class ImsTokenCache {
  readonly entries = new Map<string, CacheEntry>();

  clear(): void {
    this.entries.clear();
  }
}

let processCache: ImsTokenCache | undefined;

/** The process-wide cache, created on first use. */
export function processTokenCache(): ImsTokenCache {
  processCache ??= new ImsTokenCache();
  return processCache;
}

export interface ImsTokenProviderOptions {
  cache?: ImsTokenCache;
  axios?: AxiosInstance;
  timeoutMs?: number;
  refreshMarginMs?: number;
  now?: () => number;
}

/** Fetches, caches and refreshes IMS tokens; concurrent callers share one request. */
export class ImsTokenProvider implements TokenSource {
  private readonly cache: ImsTokenCache;
  private readonly axios: AxiosInstance;
  private readonly key: string;
  private readonly now: () => number;

  constructor(
    private readonly config: AepClientConfig,
    private readonly options: ImsTokenProviderOptions = {},
  ) {
    this.cache = options.cache ?? processTokenCache();
    // No redirects: a redirect would carry the secret or token to a host the worker never checked.
    this.axios = options.axios ?? axios.create({ maxRedirects: 0 });
    this.key = tokenCacheKey(config);
    this.now = options.now ?? Date.now;
  }

  /** A valid token, from the cache unless it is due for refresh. */
  async getToken(signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) throw cancelled();
    const entry = this.entry();
    if (entry.token && this.now() < entry.token.refreshAtMs) return entry.token.accessToken;
    entry.inflight ??= this.fetchToken().finally(() => {
      entry.inflight = undefined;
    });
    const token = await abortable(entry.inflight, signal);
    entry.token = token;
    return token.accessToken;
  }

  /** Forgets `token` if it is still the cached one (another caller may have refreshed already). */
  invalidate(token: string): void {
    const entry = this.entry();
    if (entry.token?.accessToken === token) entry.token = undefined;
  }

  private entry(): CacheEntry {
    let entry = this.cache.entries.get(this.key);
    if (!entry) {
      entry = {};
      this.cache.entries.set(this.key, entry);
    }
    return entry;
  }

  private async fetchToken(): Promise<ImsToken> {
    const req = buildTokenRequest(this.config);
    const operation = `IMS POST ${IMS_TOKEN_PATH}`;
    const secrets = [this.config.clientSecret];
    let res;
    try {
      res = await this.axios.post(req.url, req.body, {
        headers: req.headers,
        timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        validateStatus: () => true,
        transformResponse: parseJsonLenient,
      });
    } catch (err) {
      throw networkFailure(operation, err, secrets);
    }
    if (res.status >= 400) {
      throw httpFailure(operation, res, secrets);
    }
    return parseTokenResponse(res.data, this.now(), this.options.refreshMarginMs);
  }
}

/** Waits for `promise` unless `signal` aborts first (the shared request itself keeps running). */
function abortable<Value>(promise: Promise<Value>, signal?: AbortSignal): Promise<Value> {
  if (!signal) return promise;
  return new Promise<Value>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

const cancelled = () =>
  new AepError({ type: AepErrorTypes.Cancelled, retryable: false, message: 'IMS token request was cancelled.' });
