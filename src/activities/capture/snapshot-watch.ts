import { ApplicationFailure } from '@temporalio/activity';
import type { SnapshotResult, SnapshotWatchInput } from '../../workflows/capture/activity-types';
import { SNAPSHOT_UNCHANGED } from '../../workflows/common/errors';
import type { FailureDetails } from '../../workflows/common/failures';

/**
 * A watch hands its binding what it found after this many attempts or this long, even when nothing changed, so
 * that the binding's `lastPollAt`, its errors and its capture's view never trail by more.
 */
export const WATCH_HANDBACK = { attempts: 10, ms: 10 * 60_000 };

/** Where a watch stands when an attempt starts: `attempt` counts from 1, `scheduledMs` is the watch's first. */
export function watchDue(attempt: number, scheduledMs: number, nowMs: number): boolean {
  return attempt >= WATCH_HANDBACK.attempts || nowMs - scheduledMs >= WATCH_HANDBACK.ms;
}

/** Whether a poll has anything for the binding: a change, a tombstone, a delivery, or a second read of the list. */
export function pollFoundSomething(r: SnapshotResult): boolean {
  return r.changed > 0 || r.deleted > 0 || (r.delivered ?? 0) > 0 || r.rereads > 0 || r.shrinks > 0;
}

/** The failure of an attempt that found nothing: BENIGN (logged at debug, no failure metrics), retried after the interval. */
export function unchangedFailure(input: SnapshotWatchInput, r: SnapshotResult): ApplicationFailure {
  // Not an error, so no stack trace: capturing and formatting one (through source maps) would cost every poll.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const failure = ApplicationFailure.create({
      type: SNAPSHOT_UNCHANGED,
      message: `${r.objects} ${input.resource} objects, none changed; the next poll is in ${Math.round(input.intervalMs / 1000)} s`,
      nextRetryDelay: input.intervalMs,
      category: 'BENIGN',
    });
    failure.stack = `${SNAPSHOT_UNCHANGED}: ${failure.message}`;
    return failure;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A due watch stops retrying a transient failure and hands it to its binding, which records it and watches again;
 * anything else (a permanent failure, a failure of a watch not yet due) is returned as it is.
 */
export function handBack(err: unknown): unknown {
  if (!(err instanceof Error) || (err instanceof ApplicationFailure && err.nonRetryable)) return err;
  const carried = err instanceof ApplicationFailure ? (err.details?.[0] as FailureDetails | undefined) : undefined;
  const details: FailureDetails = { ...carried, handedBack: true };
  return ApplicationFailure.create({
    type: (err instanceof ApplicationFailure ? err.type : undefined) ?? err.name,
    message: err.message,
    nonRetryable: true,
    details: [details],
  });
}
