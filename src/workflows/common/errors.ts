/**
 * Every named failure type pendoflow raises, defined once, used both as `ApplicationFailure.type` and in
 * `nonRetryableErrorTypes`. Permanent types end a binding or a provisioning step with a readable message;
 * transient ones are retried with backoff. Workflow-safe: no imports.
 */

/** Pendo failures, as `PendoError.type`. */
export const PendoErrorType = {
  /** 401/403: the integration key is missing, wrong or lacks access. */
  Auth: 'PendoAuthError',
  /** 400 from a regional host for a key of another region. */
  WrongRegion: 'PendoWrongRegion',
  /** Any other 4xx: the request itself is wrong (for example an unparseable filter). */
  BadRequest: 'PendoBadRequest',
  /** The aggregation exceeded Pendo's size budget; the caller splits the window. */
  TooLarge: 'PendoTooLarge',
  /** 429. */
  RateLimited: 'PendoRateLimited',
  /** 5xx, resets and other network failures. */
  Unavailable: 'PendoUnavailable',
  /** The request or the body stream took longer than the configured timeout. */
  Timeout: 'PendoTimeout',
  /** The response was not the JSON shape the API documents. */
  BadResponse: 'PendoBadResponse',
} as const;

export type PendoErrorTypeName = (typeof PendoErrorType)[keyof typeof PendoErrorType];

/** Failures that no retry can fix: they end the binding. */
export const PENDO_PERMANENT_ERRORS: readonly string[] = [
  PendoErrorType.Auth,
  PendoErrorType.WrongRegion,
  PendoErrorType.BadRequest,
];

/**
 * A snapshot watch's poll that found nothing changed: the watch activity fails with it, and Temporal runs the next
 * poll as the activity's retry, after the interval, with no workflow task (see watchSnapshot).
 */
export const SNAPSHOT_UNCHANGED = 'PendoflowSnapshotUnchanged';

/** Configuration that cannot work (for example an unresolvable secret reference). */
export const CONFIG_ERROR = 'PendoflowConfigError';

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

/** Failures the dataflow workflow and its activities raise themselves. */
export const DataflowErrorType = {
  /** A resource with the dataflow's name exists in AEP but was not created by this dataflow. */
  NameTaken: 'AepNameTaken',
  /** The flow has no `options.inletUrl` yet; retried at a fixed interval. */
  InletNotReady: 'AepInletNotReady',
  /** Provisioning hit a permanent error; what was created has been removed. */
  ProvisioningFailed: 'DataflowProvisioningFailed',
  /** Delete could not remove everything. */
  TeardownFailed: 'DataflowTeardownFailed',
} as const;

/** Every type a retry cannot fix, whichever API raised it: what the workflows read as permanent. */
export const PERMANENT_ERROR_TYPES: readonly string[] = [
  ...PENDO_PERMANENT_ERRORS,
  ...AEP_NON_RETRYABLE_ERROR_TYPES,
  DataflowErrorType.NameTaken,
  CONFIG_ERROR,
];
