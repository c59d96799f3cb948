import { readFailure, type ReadFailure } from '../common/failures';
import { PendoErrorType } from '../common/errors';

export interface StepFailure extends ReadFailure {
  /** The window should be split before it is tried again. */
  splittable: boolean;
}

/** Reads a capture step's failure (see readFailure); every kind but a rejected key may split the window. */
export function describeFailure(err: unknown, now: number): StepFailure {
  const failure = readFailure(err, now);
  return { ...failure, splittable: failure.info.type !== PendoErrorType.Auth };
}
