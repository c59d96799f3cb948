import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { reconfigureUpdate, type ReconfigureArgs } from '../workflows/capture/messages';
import { captureWorkflowId } from '../workflows/capture/ids';
import type { CaptureStatus } from '../workflows/capture/types';
import { dataflowUpdateAccountUpdate, dataflowUpdateFlowUpdate } from '../workflows/dataflow/messages';
import type { UpdateAccountArgs, UpdateArgs } from '../workflows/dataflow/schema';
import type { DataflowState } from '../workflows/dataflow/types';

/** A change a workflow refused (validation) or could not apply; `message` names the field or the AEP error. */
export class ChangeRejectedError extends Error {
  override readonly name = 'ChangeRejectedError';
  constructor(
    readonly workflowId: string,
    readonly change: string,
    /** The failure type: `InvalidReconfigure`, `InvalidSignal`, `DataflowClosing`, or an AEP error type. */
    readonly type: string,
    readonly reason: string,
  ) {
    super(`${change} of ${workflowId} rejected: ${reason}`);
  }
}

/** Runs an Update; a rejection or failure becomes a ChangeRejectedError that says why. */
async function answered<Answer>(workflowId: string, change: string, call: () => Promise<Answer>): Promise<Answer> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    const cause = err.cause;
    const type = cause instanceof ApplicationFailure ? (cause.type ?? 'Error') : 'Error';
    throw new ChangeRejectedError(workflowId, change, type, cause?.message ?? err.message);
  }
}

/** Reconfigures a capture by the `reconfigureAndWait` Update: its new status, or a ChangeRejectedError. */
export function reconfigureByUpdate(client: Client, name: string, change: ReconfigureArgs): Promise<CaptureStatus> {
  const workflowId = captureWorkflowId(name);
  return answered(workflowId, 'reconfigure', () =>
    client.workflow.getHandle(workflowId).executeUpdate(reconfigureUpdate, { args: [change] }),
  );
}

/** Updates a dataflow's flow by the `updateFlowAndWait` Update, once applied: its new state (new etag). */
export function updateFlowByUpdate(client: Client, workflowId: string, change: UpdateArgs): Promise<DataflowState> {
  return answered(workflowId, 'update', () =>
    client.workflow.getHandle(workflowId).executeUpdate(dataflowUpdateFlowUpdate, { args: [change] }),
  );
}

/** Updates a dataflow's source connection by the `updateAccountAndWait` Update, once applied: its new state. */
export function updateAccountByUpdate(
  client: Client,
  workflowId: string,
  change: UpdateAccountArgs,
): Promise<DataflowState> {
  return answered(workflowId, 'updateAccount', () =>
    client.workflow.getHandle(workflowId).executeUpdate(dataflowUpdateAccountUpdate, { args: [change] }),
  );
}
