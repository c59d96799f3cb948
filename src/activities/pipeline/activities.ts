import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { CaptureStatus } from '../../workflows/capture/types';
import type { DataflowState } from '../../workflows/dataflow/types';
import { captureStatusQuery } from '../../workflows/capture/messages';
import { dataflowStateQuery } from '../../workflows/dataflow/messages';
import type { CaptureSummary, DataflowSummary } from '../../workflows/pipeline/types';

/** Reads the workflows a pipeline runs, through the worker's Temporal client (queries never change them). */
export function createPipelineActivities(client: Client) {
  async function isClosed(workflowId: string): Promise<boolean> {
    const d = await client.workflow.getHandle(workflowId).describe();
    return d.status.name !== 'RUNNING';
  }

  return {
    /** The dataflow's phase, inlet URL, flow id and last runs; null while it does not exist. Read-only. */
    async describeDataflow(workflowId: string): Promise<DataflowSummary | null> {
      try {
        const s: DataflowState = await client.workflow.getHandle(workflowId).query(dataflowStateQuery);
        return {
          workflowId,
          phase: s.phase,
          closed: await isClosed(workflowId),
          inletUrl: s.inletUrl,
          flowId: s.steps.find((step) => step.step === 'flow')?.id ?? null,
          lastRuns: s.lastRuns.slice(0, 5),
          lastError: s.lastError,
        };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },

    /** The capture's state and per-binding counts; null while it does not exist. Read-only. */
    async describeCapture(workflowId: string): Promise<CaptureSummary | null> {
      try {
        const s: CaptureStatus = await client.workflow.getHandle(workflowId).query(captureStatusQuery);
        return {
          workflowId,
          state: s.state,
          closed: await isClosed(workflowId),
          bindings: s.bindings.map((b) => ({
            resource: b.resource,
            state: b.state,
            documents: b.documents,
            lagSeconds: b.lagSeconds,
            lastError: b.lastError,
          })),
        };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
  };
}

export type PipelineActivities = ReturnType<typeof createPipelineActivities>;
