import { parseRetryAfter } from '../config/durations';
import { AepErrorTypes as T, AEP_NON_RETRYABLE_ERROR_TYPES, type AepErrorType } from '../workflows/common/errors';

/** A classified AEP failure; plain data, safe to log and to put in workflow history. */
export interface AepErrorInfo {
  type: AepErrorType;
  retryable: boolean;
  status?: number;
  /** Adobe's code: `FLOW-1425-400`, `XDM-1521-400`, gateway `401013`, IMS `invalid_client`... */
  code?: string;
  message: string;
  retryAfterMs?: number;
  /** e.g. `Flow Service POST /flows`. */
  operation?: string;
}

/** The one error every AEP client throws. `name` is the type, so Temporal reports it as the failure type. */
export class AepError extends Error implements AepErrorInfo {
  readonly type: AepErrorType;
  readonly retryable: boolean;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly operation?: string;

  constructor(info: AepErrorInfo) {
    super(info.message);
    this.name = info.type;
    this.type = info.type;
    this.retryable = info.retryable;
    this.status = info.status;
    this.code = info.code;
    this.retryAfterMs = info.retryAfterMs;
    this.operation = info.operation;
  }

  toJSON(): AepErrorInfo {
    const { type, retryable, status, code, message, retryAfterMs, operation } = this;
    return { type, retryable, status, code, message, retryAfterMs, operation };
  }
}

export const isAepError = (err: unknown): err is AepError => err instanceof AepError;

/** What the HTTP layer knows about a non-2xx answer. */
export interface HttpFailure {
  operation: string;
  status: number;
  body: unknown;
  retryAfter?: string | null;
}

const ADVICE: Record<AepErrorType, string> = {
  AepAuthError: 'Check the client id and secret and the org id; a fresh token was already tried.',
  AepConfigError: 'Check the org id (x-gw-ims-org-id) and sandbox name in the AEP config.',
  AepPermissionDenied: 'Check that the credential has the AEP product profile and permissions for this sandbox.',
  AepValidation: 'Fix the request; retrying will not help.',
  AepNotFound: 'The resource does not exist (deleted, or a different sandbox).',
  AepConflict: 'A resource with this title already exists; look it up by title and reuse it.',
  AepResourceInUse: 'Delete the flows that use it first, then retry.',
  AepInvalidState: 'The resource is in a transitional state; retry after a delay.',
  AepPreconditionFailed: 'Someone changed it concurrently; re-read it for the current etag and re-apply the change.',
  AepNotAcceptable: 'Use a supported Accept header (application/vnd.adobe.xed-full+json; version=1).',
  AepPayloadTooLarge: 'Split the request; each request to the inlet must stay under 1 MB.',
  AepRateLimited: 'Transient: back off and retry.',
  AepUnavailable: 'Transient: retry with exponential backoff.',
  AepNetworkError: 'Transient: check connectivity to AEP and retry.',
  AepCancelled: 'The call was cancelled.',
  AepUnexpectedResponse: 'AEP answered with an undocumented shape; check for API changes.',
};

const STATE_CODES = [1416, 1420, 1421, 1422, 1457, 1458];
const IN_USE_CODES = [1418, 1447];
const CONFIG_CODES = [2000, 2001, 2002, 2100, 2101, 2103, 2105, 2106, 2110, 2112, 2113];
const INVALID_STATE_DELAY_MS = 30_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Pulls Adobe's code and human text out of any of the four error envelopes (or IMS's OAuth body). */
export function extractAdobeError(body: unknown): { code?: string; detail?: string } {
  const b = rec(body);
  const report = rec(b.report);
  const typeCode = /([A-Z]+-\d+-\d+)$/.exec(str(b.type) ?? '')?.[1];
  const code = typeCode ?? str(b.error_code) ?? str(b.error);
  const detail =
    str(b.detail) ??
    str(report['detailed-message']) ??
    str(b.errorMessage) ??
    str(b.message) ??
    str(b.error_description) ??
    str(report.message) ??
    str(b.title) ??
    (typeof body === 'string' ? body : undefined);
  return { code, detail: detail?.slice(0, 500) };
}

function typeFor(status: number, code: string | undefined, operation: string): AepErrorType {
  const n = Number(/^[A-Z]+-(\d+)-/.exec(code ?? '')?.[1] ?? NaN);
  const flow = code?.startsWith('FLOW-') === true;
  if (operation.startsWith('IMS')) return status === 429 ? T.RateLimited : status >= 500 ? T.Unavailable : T.Auth;
  if (status === 429) return T.RateLimited;
  if (status >= 500 && status !== 501) return T.Unavailable;
  if (status === 412) return T.PreconditionFailed;
  if (status === 413) return T.PayloadTooLarge;
  if (status === 406) return T.NotAcceptable;
  if (flow && CONFIG_CODES.includes(n)) return T.Config;
  if (flow && (n === 2114 || n === 2115)) return T.Auth;
  if (status === 401) return T.Auth;
  if (status === 403) return T.Permission;
  if (status === 404) return T.NotFound;
  if (code === '400003') return T.Config;
  if (flow && STATE_CODES.includes(n)) return T.InvalidState;
  if (flow && IN_USE_CODES.includes(n)) return T.InUse;
  if (code === 'XDM-1521-400' || status === 409) return T.Conflict;
  return T.Validation;
}

/** Classifies a non-2xx answer once, per spec §9.1. */
export function classifyHttpError(f: HttpFailure, nowMs = Date.now()): AepErrorInfo {
  const { code, detail } = extractAdobeError(f.body);
  const type = typeFor(f.status, code, f.operation);
  const retryAfterHeader = parseRetryAfter(f.retryAfter, nowMs);
  const retryAfterMs =
    type === T.InvalidState ? Math.max(retryAfterHeader ?? 0, INVALID_STATE_DELAY_MS) : retryAfterHeader;
  const what = `HTTP ${f.status}${code ? ` ${code}` : ''}`;
  return {
    type,
    retryable: !AEP_NON_RETRYABLE_ERROR_TYPES.includes(type),
    status: f.status,
    code,
    message: `${f.operation} failed with ${what}: ${detail ?? '(no details)'}. ${ADVICE[type]}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    operation: f.operation,
  };
}

/**
 * Classifies a failure without an HTTP answer. Only the error's code and message are read, never
 * axios' config or request, which hold the bearer token and the client secret.
 */
export function classifyNetworkError(operation: string, err: unknown): AepErrorInfo {
  const e = rec(err);
  const name = str(e.name) ?? '';
  const code = str(e.code);
  if (name === 'CanceledError' || name === 'AbortError' || code === 'ERR_CANCELED') {
    return { type: T.Cancelled, retryable: false, code, message: `${operation} was cancelled.`, operation };
  }
  const timeout = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(str(e.message) ?? '');
  const what = timeout ? 'timed out' : `failed without a response (${code ?? str(e.message) ?? 'unknown error'})`;
  return { type: T.Network, retryable: true, code, message: `${operation} ${what}. ${ADVICE[T.Network]}`, operation };
}

/** Replaces every secret occurrence with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return secrets.reduce<string>((t, s) => (s && s.length >= 4 ? t.split(s).join('***') : t), text);
}

type Secrets = readonly (string | undefined)[];

/** The AepError for an HTTP error response; the secrets are taken out of its message. */
export function httpFailure(
  operation: string,
  res: { status: number; data: unknown; headers: Record<string, unknown> },
  secrets: Secrets,
): AepError {
  const retryAfter = res.headers['retry-after'] as string | undefined;
  const info = classifyHttpError({ operation, status: res.status, body: res.data, retryAfter });
  return new AepError({ ...info, message: redact(info.message, secrets) });
}

/** The AepError for a request that got no response; the secrets are taken out of its message. */
export function networkFailure(operation: string, err: unknown, secrets: Secrets): AepError {
  const info = classifyNetworkError(operation, err);
  return new AepError({ ...info, message: redact(info.message, secrets) });
}

/** A 2xx whose body lacks what the docs promise. */
export const unexpectedResponse = (operation: string, what: string): AepError =>
  new AepError({
    type: T.UnexpectedResponse,
    retryable: false,
    message: `${operation} answered without ${what}. ${ADVICE[T.UnexpectedResponse]}`,
    operation,
  });
