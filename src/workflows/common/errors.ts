/**
 * Named failure types, used both as `ApplicationFailure.type` and in `nonRetryableErrorTypes`.
 * Permanent types end a binding with a readable message; transient ones are retried with backoff.
 */
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

/** Configuration that cannot work (for example an unresolvable secret reference). */
export const CONFIG_ERROR = 'PendoflowConfigError';
