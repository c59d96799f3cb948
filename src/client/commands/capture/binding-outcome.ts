import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { BindingOutcome } from '../../../workflows/capture/types';

const CLOSE_EVENT = temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;

/**
 * How a binding's workflow closed, read from Temporal (its latest run and that run's close event); null while it
 * runs or when it does not exist. Read-only. A terminated or cancelled binding could not report this itself.
 */
export async function bindingOutcome(client: Client, workflowId: string): Promise<BindingOutcome | null> {
  let d;
  try {
    d = await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
  const status = d.status.name;
  if (!['COMPLETED', 'FAILED', 'TERMINATED', 'CANCELLED', 'TIMED_OUT'].includes(status)) return null;
  const at = (d.closeTime ?? new Date()).toISOString();
  if (status === 'COMPLETED') return { state: 'stopped', error: null };
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId: d.runId },
    historyEventFilterType: CLOSE_EVENT,
  });
  const close = res.history?.events?.[0];
  if (status === 'TERMINATED') {
    const reason = close?.workflowExecutionTerminatedEventAttributes?.reason || 'no reason given';
    return { state: 'terminated', error: { type: 'BindingTerminated', message: `terminated: ${reason}`, at } };
  }
  if (status === 'CANCELLED') {
    return { state: 'terminated', error: { type: 'BindingCancelled', message: 'its workflow was cancelled', at } };
  }
  if (status === 'TIMED_OUT') {
    return { state: 'failed', error: { type: 'BindingTimedOut', message: 'its workflow timed out', at } };
  }
  const failure = close?.workflowExecutionFailedEventAttributes?.failure;
  return {
    state: 'failed',
    error: {
      type: failure?.applicationFailureInfo?.type || 'BindingFailed',
      message: failure?.message || 'its workflow failed',
      at,
    },
  };
}
