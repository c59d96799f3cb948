import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState } from '@temporalio/common';
import { describeFailure } from '../../../src/workflows/capture/failures';

const activityFailed = (cause: Error) =>
  new ActivityFailure('activity failed', 'captureEventWindow', '1', RetryState.NON_RETRYABLE_FAILURE, 'x', cause);

describe('issue 10: the capture reads failures with the dataflow rules', () => {
  it('rethrows a cancelled activity instead of reading it as transient and splittable', () => {
    const cancelled = activityFailed(new CancelledFailure('binding cancelled'));
    expect(() => describeFailure(cancelled, 0)).toThrow(cancelled);
  });

  it('reads a nonRetryable cause as permanent, whatever its type', () => {
    const failure = describeFailure(activityFailed(ApplicationFailure.nonRetryable('no', 'SomeBug')), 0);
    expect(failure.retryable).toBe(false);
  });
});
