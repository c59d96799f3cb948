import {
  ActivityFailure,
  ApplicationFailure,
  DefaultFailureConverter,
  defaultPayloadConverter,
  RetryState,
} from '@temporalio/common';
import {
  handBack,
  pollFoundSomething,
  unchangedFailure,
  WATCH_HANDBACK,
  watchDue,
} from '../../../src/activities/capture/snapshot-watch';
import { toApplicationFailure } from '../../../src/activities/failures';
import { PendoError } from '../../../src/pendo/errors';
import type { SnapshotResult, SnapshotWatchInput } from '../../../src/workflows/capture/activity-types';
import { PendoErrorType, SNAPSHOT_UNCHANGED } from '../../../src/workflows/common/errors';
import { readFailure } from '../../../src/workflows/common/failures';

const nothing: SnapshotResult = { objects: 40, changed: 0, deleted: 0, rereads: 0, shrinks: 0 };
const input = { resource: 'Page', intervalMs: 30_000 } as SnapshotWatchInput;

/** What the workflow receives: the failure after its trip through history. */
function throughHistory(err: unknown): ActivityFailure {
  const converter = new DefaultFailureConverter();
  const cause = converter.failureToError(
    converter.errorToFailure(err, defaultPayloadConverter),
    defaultPayloadConverter,
  );
  return new ActivityFailure('activity failed', 'watchSnapshot', '1', RetryState.NON_RETRYABLE_FAILURE, 'x', cause);
}

describe('issue 13: a snapshot watch polls as its retries and hands back what it found', () => {
  it('is due after its tenth attempt or ten minutes, whichever comes first', () => {
    const t0 = 1_000_000;
    expect(watchDue(1, t0, t0)).toBe(false);
    expect(watchDue(WATCH_HANDBACK.attempts - 1, t0, t0 + 60_000)).toBe(false);
    expect(watchDue(WATCH_HANDBACK.attempts, t0, t0 + 60_000)).toBe(true);
    expect(watchDue(2, t0, t0 + WATCH_HANDBACK.ms - 1)).toBe(false);
    expect(watchDue(2, t0, t0 + WATCH_HANDBACK.ms)).toBe(true);
  });

  it('hands back a poll that changed, deleted, delivered or read the list twice; not one that found nothing', () => {
    expect(pollFoundSomething(nothing)).toBe(false);
    expect(pollFoundSomething({ ...nothing, delivered: 0 })).toBe(false);
    for (const found of [{ changed: 1 }, { deleted: 2 }, { delivered: 3 }, { rereads: 1 }, { shrinks: 1 }])
      expect(pollFoundSomething({ ...nothing, ...found })).toBe(true);
  });

  it('fails an unchanged poll as benign, retried after the interval, saying what it read', () => {
    const f = unchangedFailure(input, nothing);
    expect(f).toMatchObject({ type: SNAPSHOT_UNCHANGED, nonRetryable: false, nextRetryDelay: 30_000 });
    expect(f.category).toBe('BENIGN');
    expect(f.message).toBe('40 Page objects, none changed; the next poll is in 30 s');
  });

  it('hands a transient failure back as one the workflow still reads as transient, with its wait', () => {
    const unavailable = toApplicationFailure(new PendoError(PendoErrorType.Unavailable, 'HTTP 503', 503, 7000));
    const back = handBack(unavailable) as ApplicationFailure;
    // The server does not retry it: the binding records it and watches again.
    expect(back).toMatchObject({ type: PendoErrorType.Unavailable, nonRetryable: true, message: 'HTTP 503' });
    expect(readFailure(throughHistory(back), 0)).toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
      info: { type: PendoErrorType.Unavailable, message: 'HTTP 503' },
    });
    // An error no mapper classified keeps its name.
    expect(readFailure(throughHistory(handBack(new TypeError('socket hang up'))), 0)).toMatchObject({
      retryable: true,
      info: { type: 'TypeError', message: 'socket hang up' },
    });
  });

  it('leaves a permanent failure as it is, and the workflow still ends the binding on it', () => {
    const auth = toApplicationFailure(new PendoError(PendoErrorType.Auth, 'bad key', 401));
    expect(handBack(auth)).toBe(auth);
    expect(readFailure(throughHistory(handBack(auth)), 0).retryable).toBe(false);
    // A permanent type stays permanent even handed back.
    const handedAuth = ApplicationFailure.create({
      type: PendoErrorType.Auth,
      nonRetryable: true,
      details: [{ handedBack: true }],
    });
    expect(readFailure(throughHistory(handedAuth), 0).retryable).toBe(false);
  });
});
