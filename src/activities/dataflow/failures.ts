import { ApplicationFailure } from '@temporalio/activity';
import { DataflowErrorType } from '../../workflows/common/errors';

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
