import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

/** Starts a workflow unless one with its ID is already running; returns whether it started. */
export async function startOnce<Starting extends Workflow>(
  client: Client,
  workflow: Starting,
  options: WorkflowStartOptions<Starting>,
): Promise<boolean> {
  try {
    await client.workflow.start(workflow, { ...options, workflowIdConflictPolicy: 'FAIL' });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
