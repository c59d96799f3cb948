import { ActivityFailure, ApplicationFailure, isCancellation, TimeoutFailure } from '@temporalio/workflow';
import type { ErrorInfo } from '../capture/types';
import { AEP_PERMANENT_ERRORS, DataflowErrorType } from './errors';
import { CONFIG_ERROR } from '../common/errors';

export interface AepStepFailure {
  info: ErrorInfo;
  /** No retry can help. */
  permanent: boolean;
}

const PERMANENT = new Set<string>([...AEP_PERMANENT_ERRORS, DataflowErrorType.NameTaken, CONFIG_ERROR]);

/** Reads an activity failure; cancellation and anything that is not an activity failure are rethrown. */
export function describeAepFailure(err: unknown, now: number): AepStepFailure {
  if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
  const cause = err.cause;
  const at = new Date(now).toISOString();
  if (cause instanceof ApplicationFailure) {
    const type = cause.type ?? 'Error';
    return { info: { type, message: cause.message, at }, permanent: cause.nonRetryable || PERMANENT.has(type) };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      info: { type: 'ActivityTimeout', message: `the step timed out (${cause.timeoutType})`, at },
      permanent: false,
    };
  }
  return { info: { type: cause?.name ?? 'Error', message: cause?.message ?? err.message, at }, permanent: false };
}
