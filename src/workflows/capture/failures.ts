import { readFailure, type ReadFailure } from '../common/failures';
import { PendoErrorType } from '../common/errors';

export interface StepFailure extends ReadFailure {
  /** The window should be split before it is tried again. */
  splittable: boolean;
}

/** Reads a capture step's failure (see readFailure); every kind but a rejected key may split the window. */
export function describeFailure(err: unknown, now: number): StepFailure {
  const failure = readFailure(err, now);
  // Pendo cannot serve the window as asked, so the activity does not retry it; its halves are worth trying.
  if (failure.info.type === PendoErrorType.TooLarge) return { ...failure, retryable: true, splittable: true };
  return { ...failure, splittable: failure.info.type !== PendoErrorType.Auth };
}
