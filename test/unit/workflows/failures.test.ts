import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  DefaultFailureConverter,
  defaultPayloadConverter,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { toApplicationFailure } from '../../../src/activities/failures';
import { AepError } from '../../../src/aep';
import { SecretResolutionError } from '../../../src/config/secrets';
import { PendoError } from '../../../src/pendo/errors';
import { DeliveryError } from '../../../src/sinks/aep-delivery';
import { AEP_NON_RETRYABLE_ERROR_TYPES, PendoErrorType } from '../../../src/workflows/common/errors';
import { readFailure } from '../../../src/workflows/common/failures';

const activityFailed = (cause: Error) =>
  new ActivityFailure('activity failed', 'anActivity', '1', RetryState.NON_RETRYABLE_FAILURE, 'x', cause);

/** What the workflow receives: the failure after its trip through history. */
function throughHistory(err: unknown): Error {
  const converter = new DefaultFailureConverter();
  const proto = converter.errorToFailure(err, defaultPayloadConverter);
  return activityFailed(converter.failureToError(proto, defaultPayloadConverter));
}

describe('issue 10: one mapper of classified failures to ApplicationFailure', () => {
  it('maps Pendo, AEP, delivery and configuration failures by their own type and retryable flag', () => {
    const cases: [Error, string, boolean][] = [
      [new PendoError(PendoErrorType.Auth, 'bad key', 401), 'PendoAuthError', true],
      [new PendoError(PendoErrorType.TooLarge, 'split me'), 'PendoTooLarge', false],
      [new AepError({ type: 'AepValidation', retryable: false, message: 'FLOW-1425-400' }), 'AepValidation', true],
      [new AepError({ type: 'AepUnavailable', retryable: true, message: '503' }), 'AepUnavailable', false],
      [new DeliveryError('inlet refused'), 'AepDeliveryError', false],
      [new SecretResolutionError('environment variable X is not set'), 'PendoflowConfigError', true],
    ];
    for (const [err, type, nonRetryable] of cases) {
      const mapped = toApplicationFailure(err);
      expect(mapped).toBeInstanceOf(ApplicationFailure);
      expect(mapped).toMatchObject({ type, nonRetryable, message: err.message });
    }
    const other = new Error('bug');
    expect(toApplicationFailure(other)).toBe(other);
  });

  it('leaves an aborted AEP request to the retry policy of its activity', () => {
    const aborted = new AepError({ type: 'AepCancelled', retryable: false, message: 'cancelled' });
    expect(toApplicationFailure(aborted)).toMatchObject({ type: 'AepCancelled', nonRetryable: false });
    expect(AEP_NON_RETRYABLE_ERROR_TYPES).toContain('AepCancelled');
  });

  it('carries Retry-After to Temporal and, through history, to the workflow', () => {
    const limited = new PendoError(PendoErrorType.RateLimited, 'slow down', 429, 2000);
    expect(toApplicationFailure(limited)).toMatchObject({ nextRetryDelay: 2000 });
    expect(readFailure(throughHistory(toApplicationFailure(limited)), 0)).toMatchObject({
      info: { type: 'PendoRateLimited', message: 'slow down' },
      retryable: true,
      retryAfterMs: 2000,
    });
    const aep = new AepError({ type: 'AepRateLimited', retryable: true, message: 'slow', retryAfterMs: 5000 });
    expect(readFailure(throughHistory(toApplicationFailure(aep)), 0).retryAfterMs).toBe(5000);
  });
});

describe('issue 10: one reader of activity failures in workflow code', () => {
  it('rethrows a cancellation and anything that is not an activity failure', () => {
    const cancelled = activityFailed(new CancelledFailure('cancelled'));
    expect(() => readFailure(cancelled, 0)).toThrow(cancelled);
    const bug = new Error('not an activity failure');
    expect(() => readFailure(bug, 0)).toThrow(bug);
  });

  it('reads a nonRetryable cause, or a permanent type, as not retryable', () => {
    expect(readFailure(activityFailed(ApplicationFailure.nonRetryable('no', 'SomeBug')), 0).retryable).toBe(false);
    for (const type of ['PendoWrongRegion', 'AepConflict', 'AepNameTaken', 'PendoflowConfigError']) {
      expect(readFailure(activityFailed(ApplicationFailure.retryable('no', type)), 0).retryable).toBe(false);
    }
    const mapped = throughHistory(toApplicationFailure(new PendoError(PendoErrorType.Auth, 'bad key', 401)));
    expect(readFailure(mapped, 0)).toMatchObject({ info: { type: 'PendoAuthError' }, retryable: false });
  });

  it('reads transient types and timeouts as retryable, with the time they happened', () => {
    const transient = readFailure(activityFailed(ApplicationFailure.retryable('busy', 'AepUnavailable')), 0);
    expect(transient).toEqual({
      info: { type: 'AepUnavailable', message: 'busy', at: '1970-01-01T00:00:00.000Z' },
      retryable: true,
    });
    const timedOut = readFailure(activityFailed(new TimeoutFailure('late', undefined, TimeoutType.HEARTBEAT)), 0);
    expect(timedOut).toMatchObject({ info: { type: 'ActivityTimeout' }, retryable: true });
  });
});
