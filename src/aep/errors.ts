import { parseRetryAfter } from '../config/durations';
import { AepErrorTypes as Types, AEP_NON_RETRYABLE_ERROR_TYPES, type AepErrorType } from '../workflows/common/errors';

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

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const rec = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Pulls Adobe's code and human text out of any of the four error envelopes (or IMS's OAuth body). */
export function extractAdobeError(body: unknown): { code?: string; detail?: string } {
  const envelope = rec(body);
  const report = rec(envelope.report);
  const typeCode = /([A-Z]+-\d+-\d+)$/.exec(str(envelope.type) ?? '')?.[1];
  const code = typeCode ?? str(envelope.error_code) ?? str(envelope.error);
  const detail =
    str(envelope.detail) ??
    str(report['detailed-message']) ??
    str(envelope.errorMessage) ??
    str(envelope.message) ??
    str(envelope.error_description) ??
    str(report.message) ??
    str(envelope.title) ??
    (typeof body === 'string' ? body : undefined);
  return { code, detail: detail?.slice(0, 500) };
}

function typeFor(status: number, code: string | undefined, operation: string): AepErrorType {
  const codeNumber = Number(/^[A-Z]+-(\d+)-/.exec(code ?? '')?.[1] ?? NaN);
  const flow = code?.startsWith('FLOW-') === true;
  if (operation.startsWith('IMS'))
    return status === 429 ? Types.RateLimited : status >= 500 ? Types.Unavailable : Types.Auth;
  if (status === 429) return Types.RateLimited;
  if (status >= 500 && status !== 501) return Types.Unavailable;
  if (status === 412) return Types.PreconditionFailed;
  if (status === 413) return Types.PayloadTooLarge;
  if (status === 406) return Types.NotAcceptable;
  if (flow && CONFIG_CODES.includes(codeNumber)) return Types.Config;
  if (flow && (codeNumber === 2114 || codeNumber === 2115)) return Types.Auth;
  if (status === 401) return Types.Auth;
  if (status === 403) return Types.Permission;
  if (status === 404) return Types.NotFound;
  if (code === '400003') return Types.Config;
  if (flow && STATE_CODES.includes(codeNumber)) return Types.InvalidState;
  if (flow && IN_USE_CODES.includes(codeNumber)) return Types.InUse;
  if (code === 'XDM-1521-400' || status === 409) return Types.Conflict;
  return Types.Validation;
}

/** Classifies a non-2xx answer once, per spec §9.1. */
export function classifyHttpError(failure: HttpFailure, nowMs = Date.now()): AepErrorInfo {
  const { code, detail } = extractAdobeError(failure.body);
  const type = typeFor(failure.status, code, failure.operation);
  const retryAfterHeader = parseRetryAfter(failure.retryAfter, nowMs);
  const retryAfterMs =
    type === Types.InvalidState ? Math.max(retryAfterHeader ?? 0, INVALID_STATE_DELAY_MS) : retryAfterHeader;
  const what = `HTTP ${failure.status}${code ? ` ${code}` : ''}`;
  return {
    type,
    retryable: !AEP_NON_RETRYABLE_ERROR_TYPES.includes(type),
    status: failure.status,
    code,
    message: `${failure.operation} failed with ${what}: ${detail ?? '(no details)'}. ${ADVICE[type]}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    operation: failure.operation,
  };
}

/**
 * Classifies a failure without an HTTP answer. Only the error's code and message are read, never
 * axios' config or request, which hold the bearer token and the client secret.
 */
export function classifyNetworkError(operation: string, err: unknown): AepErrorInfo {
  const fields = rec(err);
  const name = str(fields.name) ?? '';
  const code = str(fields.code);
  if (name === 'CanceledError' || name === 'AbortError' || code === 'ERR_CANCELED') {
    return { type: Types.Cancelled, retryable: false, code, message: `${operation} was cancelled.`, operation };
  }
  const timeout = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(str(fields.message) ?? '');
  const what = timeout ? 'timed out' : `failed without a response (${code ?? str(fields.message) ?? 'unknown error'})`;
  return {
    type: Types.Network,
    retryable: true,
    code,
    message: `${operation} ${what}. ${ADVICE[Types.Network]}`,
    operation,
  };
}

/** Replaces every secret occurrence with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return secrets.reduce<string>(
    (redacted, secret) => (secret && secret.length >= 4 ? redacted.split(secret).join('***') : redacted),
    text,
  );
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
    type: Types.UnexpectedResponse,
    retryable: false,
    message: `${operation} answered without ${what}. ${ADVICE[Types.UnexpectedResponse]}`,
    operation,
  });
