import type { Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { isSealed } from './aes-gcm-codec';

export interface PoolCheck {
  /** The workflow whose input was read, if any was running. */
  workflowId?: string;
  /** Whether its input was encrypted; undefined when there was nothing to read. */
  sealed?: boolean;
}

const CHECK_DEADLINE_MS = 10_000;

/**
 * Reads the input of the most recently started running workflow on the task queue (one list call of one row, and
 * the first history event) and decodes it with this process's codec. Throws the codec's `PayloadKeyError` when this
 * worker could not open what the pool wrote, so a worker with no key or another key stops before it polls.
 */
export async function checkPoolPayloads(
  connection: Connection,
  opts: { namespace: string; taskQueue: string; codec: PayloadCodec },
): Promise<PoolCheck> {
  const { namespace, taskQueue, codec } = opts;
  const deadline = Date.now() + CHECK_DEADLINE_MS;
  const query = `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}' AND ExecutionStatus = 'Running'`;
  const listed = await connection.withDeadline(deadline, () =>
    connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query }),
  );
  const execution = listed.executions?.[0]?.execution;
  if (!execution?.workflowId) return {};
  const history = await connection.withDeadline(deadline, () =>
    connection.workflowService.getWorkflowExecutionHistory({ namespace, execution, maximumPageSize: 1 }),
  );
  const payloads = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  const workflowId = execution.workflowId;
  await codec.decode(payloads, { type: 'workflow', namespace, workflowId });
  return { workflowId, sealed: payloads.some(isSealed) };
}
