import { ApplicationFailure } from '@temporalio/activity';
import { AepError } from '../aep';
import { HostNotAllowedError } from '../config/host-rules';
import { SecretResolutionError } from '../config/secrets';
import { PendoError } from '../pendo/errors';
import { DeliveryError } from '../sinks/aep-delivery';
import { AepErrorTypes, CONFIG_ERROR } from '../workflows/common/errors';
import type { FailureDetails } from '../workflows/common/failures';

/** What every classified failure says, whichever API it came from. */
interface Classified {
  message: string;
  type: string;
  retryable: boolean;
  retryAfterMs?: number;
}

function classified(err: unknown): Classified | undefined {
  if (err instanceof PendoError || err instanceof AepError) return err;
  if (err instanceof DeliveryError) {
    return { message: err.message, type: err.name, retryable: true, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof SecretResolutionError || err instanceof HostNotAllowedError) {
    return { message: err.message, type: CONFIG_ERROR, retryable: false };
  }
  return undefined;
}

/**
 * The one mapper of classified failures (Pendo, AEP, delivery, configuration) to the ApplicationFailure Temporal
 * retries (honouring Retry-After) or stops on; anything else is returned as is. The wait also travels in the
 * details, since the workflow does not receive `nextRetryDelay`.
 */
export function toApplicationFailure(err: unknown): unknown {
  const failure = classified(err);
  if (!failure) return err;
  const { message, type, retryable, retryAfterMs } = failure;
  const details: FailureDetails[] | undefined = retryAfterMs === undefined ? undefined : [{ retryAfterMs }];
  return ApplicationFailure.create({
    message,
    type,
    // An aborted request says nothing of the next attempt: the activity's retry policy decides by type.
    nonRetryable: !retryable && type !== AepErrorTypes.Cancelled,
    nextRetryDelay: retryAfterMs,
    details,
  });
}
