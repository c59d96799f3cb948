import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { ErrorInfo } from './types';
import { CONFIG_ERROR, PENDO_PERMANENT_ERRORS, PendoErrorType } from '../common/errors';

export interface StepFailure {
  info: ErrorInfo;
  /** No retry can help: the binding ends. */
  permanent: boolean;
  /** The window should be split before it is tried again. */
  splittable: boolean;
}

/** Reads what went wrong out of an activity failure; anything else is a bug and is rethrown. */
export function describeFailure(err: unknown, now: number): StepFailure {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  const at = new Date(now).toISOString();
  if (cause instanceof ApplicationFailure) {
    const type = cause.type ?? 'Error';
    return {
      info: { type, message: cause.message, at },
      permanent: PENDO_PERMANENT_ERRORS.includes(type) || type === CONFIG_ERROR,
      splittable: type !== PendoErrorType.Auth,
    };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      info: { type: 'ActivityTimeout', message: `the step timed out (${cause.timeoutType})`, at },
      permanent: false,
      splittable: true,
    };
  }
  return {
    info: { type: cause?.name ?? 'Error', message: cause?.message ?? err.message, at },
    permanent: false,
    splittable: true,
  };
}
