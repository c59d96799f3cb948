import { ApplicationFailure } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import { streamingFlowBody, type Flow, type FlowRun } from '../../aep';
import type {
  AepCall,
  EnsureFlowInput,
  EtagRef,
  PatchFlowInput,
  PatchResult,
  PatchSourceInput,
} from '../../workflows/dataflow/activity-types';
import { DataflowErrorType } from '../../workflows/common/errors';
import { withOwner } from '../../workflows/dataflow/names';
import type { RunSummary } from '../../workflows/dataflow/types';
import { withAep } from './context';
import { ensureFlowService } from './connections';
import { flowPatchOps, renameOps } from './patch-ops';

/**
 * The streaming flow from the source to the target connection through the mapping set. Idempotency key: its
 * name. Permanent: AepValidation (e.g. FLOW-1425 schema mismatch, 1412 bad mapping version), AepNameTaken.
 * Returns id and etag.
 */
export async function aepEnsureFlow(input: EnsureFlowInput): Promise<EtagRef> {
  const description = withOwner(input.description, input.owner);
  return withAep(input.aep, (c, signal) =>
    ensureFlowService(c, 'flows', input.name, input.owner, () => streamingFlowBody({ ...input, description }), signal),
  );
}

/**
 * The flow's `options.inletUrl`. Read-only. Throws the retryable AepInletNotReady until AEP has assigned it
 * (the caller retries at a fixed interval). Permanent: AepNotFound. Returns the URL.
 */
export async function aepInletUrl({ aep, flowId }: AepCall & { flowId: string }): Promise<string> {
  return withAep(aep, async (c, signal) => {
    const url = await c.flowService.getInletUrl(flowId, signal);
    if (url) return url;
    throw ApplicationFailure.create({
      type: DataflowErrorType.InletNotReady,
      message: `flow ${flowId} has no inlet URL yet`,
      category: ApplicationFailureCategory.BENIGN,
    });
  });
}

/**
 * Brings the flow's name, description and mapping version to the given values: read, diff, PATCH with
 * If-Match; a 412 re-reads and re-applies. Idempotent (nothing left to change means no PATCH). Permanent:
 * AepValidation, AepNotFound, AepPreconditionFailed after 5 races. Returns the new etag.
 */
export async function aepPatchFlow(input: PatchFlowInput): Promise<PatchResult> {
  return withAep(input.aep, async (c, signal) => {
    const r = await c.flowService.update<Flow>('flows', input.flowId, (cur) => flowPatchOps(cur, input), { signal });
    return { etag: r.etag, applied: r.applied, attempts: r.attempts };
  });
}

/** The source connection's name and description ("update account"); same contract as aepPatchFlow. */
export async function aepPatchSourceConnection(input: PatchSourceInput): Promise<PatchResult> {
  return withAep(input.aep, async (c, signal) => {
    const r = await c.flowService.update(
      'sourceConnections',
      input.sourceConnectionId,
      (cur) => renameOps(cur, input),
      {
        signal,
      },
    );
    return { etag: r.etag, applied: r.applied, attempts: r.attempts };
  });
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export function summarizeRun(run: FlowRun): RunSummary {
  const m = run.metrics;
  return {
    id: run.id,
    status: m.statusSummary?.status ?? 'unknown',
    startedAt: iso(m.durationSummary?.startedAtUTC),
    completedAt: iso(m.durationSummary?.completedAtUTC),
    inputRecords: m.recordSummary?.inputRecordCount ?? 0,
    outputRecords: m.recordSummary?.outputRecordCount ?? 0,
    failedRecords: m.recordSummary?.failedRecordCount ?? 0,
    errors: (m.statusSummary?.errors ?? []).slice(0, 3).map((e) => ({ ...e, message: e.message.slice(0, 300) })),
  };
}

/** The flow's latest runs, newest first. Read-only. Permanent: AepNotFound. Returns summaries only. */
export async function aepListRuns({
  aep,
  flowId,
  limit,
}: AepCall & { flowId: string; limit: number }): Promise<RunSummary[]> {
  return withAep(aep, async (c, signal) => (await c.flowService.listRuns(flowId, { limit }, signal)).map(summarizeRun));
}
