// No imports: this file may move to src/workflows/common, where workflow code lists these in nonRetryableErrorTypes.

/** Named types of every classified AEP failure (used as `ApplicationFailure.type` and as `Error.name`). */
export const AepErrorTypes = {
  /** IMS rejected the credentials, or a token stayed invalid after one refresh. */
  Auth: 'AepAuthError',
  /** A missing or wrong org id / sandbox header, or an unknown sandbox. */
  Config: 'AepConfigError',
  /** The credential lacks a product profile, permission or API key entitlement. */
  Permission: 'AepPermissionDenied',
  /** The request is invalid; fix it, retrying will not help. */
  Validation: 'AepValidation',
  NotFound: 'AepNotFound',
  /** Schema Registry title already taken (XDM-1521): look it up by title and adopt it. */
  Conflict: 'AepConflict',
  /** Still referenced by flows (FLOW-1418, FLOW-1447): delete dependents first. */
  InUse: 'AepResourceInUse',
  /** A transitional state (FLOW-1416, 1420-1422, 1457, 1458); may settle, retry after a delay. */
  InvalidState: 'AepInvalidState',
  /** Stale etag (FLOW-1404-412): re-read, re-apply, re-PATCH. */
  PreconditionFailed: 'AepPreconditionFailed',
  /** Schema Registry cannot serve the Accept format (406). */
  NotAcceptable: 'AepNotAcceptable',
  /** DCS request over 1 MB (413). */
  PayloadTooLarge: 'AepPayloadTooLarge',
  RateLimited: 'AepRateLimited',
  /** 5xx from any AEP service. */
  Unavailable: 'AepUnavailable',
  /** No HTTP response: connection failure or timeout. */
  Network: 'AepNetworkError',
  /** The caller's AbortSignal fired. */
  Cancelled: 'AepCancelled',
  /** A 2xx whose body does not have the documented shape. */
  UnexpectedResponse: 'AepUnexpectedResponse',
} as const;

export type AepErrorType = (typeof AepErrorTypes)[keyof typeof AepErrorTypes];

/** Types a retry cannot fix; pass to `nonRetryableErrorTypes`. */
export const AEP_NON_RETRYABLE_ERROR_TYPES: readonly AepErrorType[] = [
  AepErrorTypes.Auth,
  AepErrorTypes.Config,
  AepErrorTypes.Permission,
  AepErrorTypes.Validation,
  AepErrorTypes.NotFound,
  AepErrorTypes.Conflict,
  AepErrorTypes.InUse,
  AepErrorTypes.NotAcceptable,
  AepErrorTypes.PayloadTooLarge,
  AepErrorTypes.Cancelled,
  AepErrorTypes.UnexpectedResponse,
];
