import { parseRetryAfter } from '../config/durations';
import { PENDO_PERMANENT_ERRORS, PendoErrorType, type PendoErrorTypeName } from '../workflows/common/errors';

/** A Pendo failure, classified once: `type` says what happened and whether a retry can help. */
export class PendoError extends Error {
  override name = 'PendoError';
  constructor(
    readonly type: PendoErrorTypeName,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return !PENDO_PERMANENT_ERRORS.includes(this.type);
  }
}

export interface HttpFailure {
  status: number;
  /** Up to a few KB of the body, as text. */
  body: string;
  retryAfter?: string;
  /** `METHOD /path`, for the message; never the key. */
  request: string;
}

/** Maps an HTTP error response to a PendoError with a message a person can act on. */
export function classifyHttpFailure(f: HttpFailure): PendoError {
  const detail = f.body.trim().slice(0, 300);
  const said = detail ? `: ${detail}` : '';
  if (f.status === 401 || f.status === 403) {
    return new PendoError(
      PendoErrorType.Auth,
      `Pendo rejected the integration key (HTTP ${f.status} on ${f.request})${said}. ` +
        'Check credentials.access_token: create or copy a key under Settings › Integrations › Integration Keys.',
      f.status,
    );
  }
  if (f.status === 400 && !/filter|parse|pipeline|source/i.test(detail)) {
    return new PendoError(
      PendoErrorType.WrongRegion,
      `Pendo answered HTTP 400 on ${f.request}${said}. The key most likely belongs to another region: ` +
        'set host to the region of your subscription (a key ending in .eu uses https://app.eu.pendo.io, ' +
        '.us1 https://us1.app.pendo.io, .jpn https://app.jpn.pendo.io, .au https://app.au.pendo.io).',
      f.status,
    );
  }
  if (f.status === 429) {
    const retryAfterMs = parseRetryAfter(f.retryAfter);
    return new PendoError(PendoErrorType.RateLimited, `Pendo rate-limited ${f.request} (HTTP 429)`, 429, retryAfterMs);
  }
  if (f.status >= 500 && /too large/i.test(detail)) {
    return new PendoError(PendoErrorType.TooLarge, `Pendo could not serve ${f.request}${said}`, f.status);
  }
  if (f.status >= 500 || f.status === 408) {
    return new PendoError(
      PendoErrorType.Unavailable,
      `Pendo failed ${f.request} (HTTP ${f.status})${said}`,
      f.status,
      parseRetryAfter(f.retryAfter),
    );
  }
  return new PendoError(PendoErrorType.BadRequest, `Pendo refused ${f.request} (HTTP ${f.status})${said}`, f.status);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Maps a failure that happened before or during the body (resets, timeouts, truncation). */
export function classifyTransportFailure(err: unknown, request: string): PendoError {
  if (err instanceof PendoError) return err;
  const e = err as { code?: string; message?: string; name?: string };
  if (e.code === 'ECONNABORTED' || e.name === 'TimeoutError' || /timeout/i.test(e.message ?? '')) {
    return new PendoError(
      PendoErrorType.Timeout,
      `Pendo did not answer ${request} in time (${e.message ?? 'timeout'})`,
    );
  }
  if ((e.code && NETWORK_CODES.has(e.code)) || /aborted|socket hang up|terminated/i.test(e.message ?? '')) {
    return new PendoError(
      PendoErrorType.Unavailable,
      `connection to Pendo failed during ${request}: ${e.code ?? e.message}`,
    );
  }
  if (e.name === 'SyntaxError' || e.name === 'TruncatedJsonError') {
    return new PendoError(PendoErrorType.BadResponse, `Pendo sent an unreadable response to ${request}: ${e.message}`);
  }
  return new PendoError(PendoErrorType.Unavailable, `request ${request} failed: ${e.message ?? String(err)}`);
}
