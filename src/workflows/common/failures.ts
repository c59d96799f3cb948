import { ActivityFailure, ApplicationFailure, isCancellation, TimeoutFailure } from '@temporalio/workflow';
import type { ErrorInfo } from '../capture/types';
import { PERMANENT_ERROR_TYPES } from './errors';

/** What an activity's ApplicationFailure carries in its details (the mapper in src/activities/failures.ts). */
export interface FailureDetails {
  retryAfterMs?: number;
  /**
   * The activity stopped retrying a transient failure so that the workflow hears of it (a snapshot watch does, after
   * its polls); a later step may well succeed.
   */
  handedBack?: boolean;
}

/** An activity failure, read back: what happened, whether a retry can help, and how long the API asked to wait. */
export interface ReadFailure {
  info: ErrorInfo;
  retryable: boolean;
  retryAfterMs?: number;
}

function retryAfterOf(cause: ApplicationFailure): number | undefined {
  const details = cause.details?.[0] as FailureDetails | undefined;
  const fromDetails = typeof details?.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
  return fromDetails ?? (typeof cause.nextRetryDelay === 'number' ? cause.nextRetryDelay : undefined);
}

/**
 * The one reader of activity failures in workflow code. A cancellation, and anything that is not an activity
 * failure, is rethrown: it is never read as transient. Permanent: a nonRetryable cause, or a permanent type.
 */
export function readFailure(err: unknown, now: number): ReadFailure {
  if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
  const cause = err.cause;
  const at = new Date(now).toISOString();
  if (cause instanceof ApplicationFailure) {
    const type = cause.type ?? 'Error';
    const handedBack = (cause.details?.[0] as FailureDetails | undefined)?.handedBack === true;
    const retryable = (!cause.nonRetryable || handedBack) && !PERMANENT_ERROR_TYPES.includes(type);
    const retryAfterMs = retryAfterOf(cause);
    const info = { type, message: cause.message, at };
    return retryAfterMs === undefined ? { info, retryable } : { info, retryable, retryAfterMs };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      info: { type: 'ActivityTimeout', message: `the step timed out (${cause.timeoutType})`, at },
      retryable: true,
    };
  }
  return { info: { type: cause?.name ?? 'Error', message: cause?.message ?? err.message, at }, retryable: true };
}
