import { ApplicationFailure } from '@temporalio/activity';
import { HostNotAllowedError } from '../config/host-rules';
import { SecretResolutionError } from '../config/secrets';
import { PendoError } from '../pendo/errors';
import { DeliveryError } from '../sinks/aep-delivery';
import { CONFIG_ERROR } from '../workflows/common/errors';

/** Turns a classified failure into the ApplicationFailure Temporal retries or stops on. */
export function toApplicationFailure(err: unknown): unknown {
  if (err instanceof PendoError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.type,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.retryAfterMs,
    });
  }
  if (err instanceof DeliveryError) {
    return ApplicationFailure.create({ message: err.message, type: err.name, nextRetryDelay: err.retryAfterMs });
  }
  if (err instanceof SecretResolutionError || err instanceof HostNotAllowedError) {
    return ApplicationFailure.create({ message: err.message, type: CONFIG_ERROR, nonRetryable: true });
  }
  return err;
}
