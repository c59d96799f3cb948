import { ApplicationFailure } from '@temporalio/activity';
import { AepError } from '../../aep';
import { HostNotAllowedError } from '../../config/host-rules';
import { SecretResolutionError } from '../../config/secrets';
import { DataflowErrorType } from '../../workflows/dataflow/errors';
import { CONFIG_ERROR } from '../../workflows/common/errors';

/** Turns a classified AEP failure into the ApplicationFailure Temporal retries (honouring Retry-After) or stops on. */
export function toAepFailure(err: unknown): unknown {
  if (err instanceof AepError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.type,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.retryAfterMs,
    });
  }
  if (err instanceof SecretResolutionError || err instanceof HostNotAllowedError) {
    return ApplicationFailure.create({ message: err.message, type: CONFIG_ERROR, nonRetryable: true });
  }
  return err;
}

/** A name in AEP that this dataflow did not create: adopting it could later delete someone else's resource. */
export function nameTaken(what: string, name: string, owner: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: DataflowErrorType.NameTaken,
    nonRetryable: true,
    message:
      `${what} '${name}' already exists in this sandbox but was not created by ${owner}. ` +
      'Rename or delete it in AEP, or choose another name in the dataflow config.',
  });
}
