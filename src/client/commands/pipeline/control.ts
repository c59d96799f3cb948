import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { loadPipelineFile } from '../../../config/pipeline-load';
import type { RuntimeConfig } from '../../../config/runtime';
import { secretSource } from '../../../config/secrets';
import {
  pipelineDeleteSignal,
  pipelineReplayDeadLettersUpdate,
  pipelineStateQuery,
  pipelineStopSignal,
} from '../../../workflows/pipeline/messages';
import { pipelineWorkflowId } from '../../../workflows/pipeline/ids';
import type { PipelineSpec, PipelineState } from '../../../workflows/pipeline/types';
import { AEP_DATAFLOW, AEP_SANDBOX, CAPTURE_NAME } from '../../../workflows/common/search-attributes';
import { pipelineStaticDetails } from '../../../workflows/common/static-details';
import { pipeline } from '../../../workflows';
import { connectClient } from '../../connect';
import { startOnce } from '../../start-once';
import { assertSecretsSafe } from '../capture/control';
import { deleteDataflow } from '../dataflow/control';
import { aepTrouble, statusText } from '../dataflow/format';

/** Inline secrets go into the workflow input: only with an encrypting codec. */
function assertPipelineSecretsSafe(spec: PipelineSpec, runtime: RuntimeConfig): void {
  assertSecretsSafe(spec.capture, runtime);
  if (secretSource(spec.dataflow.aep.clientSecret) === 'inline' && !runtime.encryptionKey) {
    throw new Error(
      `${spec.name}: dataflow.clientSecret is inline, and would be stored in the workflow history in clear. ` +
        'Use env:NAME or file:PATH (resolved on the worker), or set PENDOFLOW_ENCRYPTION_KEY on the worker and the CLI.',
    );
  }
}

/** Starts a pipeline; one already running is left as it is. Returns whether it started. */
export async function startPipeline(spec: PipelineSpec, runtime: RuntimeConfig): Promise<boolean> {
  const { client, close } = await connectClient(runtime);
  try {
    return await startPipelineWith(client, spec, runtime);
  } finally {
    await close();
  }
}

/** {@link startPipeline} on a client the caller holds. */
export async function startPipelineWith(client: Client, spec: PipelineSpec, runtime: RuntimeConfig): Promise<boolean> {
  assertPipelineSecretsSafe(spec, runtime);
  return startOnce(client, pipeline, {
    workflowId: pipelineWorkflowId(spec.name),
    taskQueue: runtime.taskQueue,
    args: [{ spec }],
    typedSearchAttributes: [
      { key: CAPTURE_NAME, value: spec.capture.name },
      { key: AEP_DATAFLOW, value: spec.dataflow.name },
      { key: AEP_SANDBOX, value: spec.dataflow.aep.sandbox },
    ],
    staticSummary: `Pendo → AEP pipeline ${spec.name}: ${spec.capture.bindings.map((b) => b.resource).join(', ')}`,
    staticDetails: pipelineStaticDetails(spec),
  });
}

export async function pipelineStartCommand(file: string, runtime: RuntimeConfig): Promise<number> {
  const spec = loadPipelineFile(file);
  const started = await startPipeline(spec, runtime);
  console.log(
    started
      ? `started ${pipelineWorkflowId(spec.name)}: provisioning (or adopting) the dataflow, then capturing ${spec.capture.bindings.length} resource(s) into its inlet`
      : `${pipelineWorkflowId(spec.name)} is already running; nothing changed`,
  );
  return 0;
}

export async function queryPipeline(name: string, runtime: RuntimeConfig): Promise<PipelineState> {
  const { client, close } = await connectClient(runtime);
  try {
    return await client.workflow.getHandle(pipelineWorkflowId(name)).query(pipelineStateQuery);
  } finally {
    await close();
  }
}

/** The dataflow's last run as AEP counts it, and the messages the inlet refused before any run saw them. */
export function lastRunText(s: PipelineState): string {
  const run = s.dataflow?.lastRuns[0];
  const refused = s.delivery?.deadLettered ?? 0;
  const atInlet = refused ? ` (AEP's count; ${refused} more refused at the inlet, dead-lettered)` : '';
  return run
    ? `${run.status}: ${run.inputRecords} in, ${run.outputRecords} out, ${run.failedRecords} failed${atInlet}`
    : `—${atInlet}`;
}

/** Delivered, dead-lettered and pending counts, and the latest refusal. */
export function deliveryText(s: PipelineState): string[] {
  const d = s.delivery;
  if (!d) return ['  delivery —'];
  const lines = [`  delivery ${d.delivered} delivered, ${d.deadLettered} dead-lettered, ${d.pending} pending`];
  if (d.lastRefusal) {
    lines.push(
      `    last refused ${d.lastRefusal.resource} ${d.lastRefusal.uniqueId}: ${d.lastRefusal.message}`,
      `    once fixed: pendoflow pipeline replay-dead-letters ${s.name}`,
    );
  }
  return lines;
}

/** A short, readable view of a pipeline's state. */
export function pipelineText(s: PipelineState): string {
  const d = s.dataflow;
  const lines = [
    `${s.name}: ${s.phase}`,
    `  dataflow ${d?.workflowId ?? '—'}: ${d?.phase ?? 'starting'}${d?.flowId ? `, flow ${d.flowId}` : ''}${aepTrouble(d?.lastError ?? null)}`,
    `  inlet    ${d?.inletUrl ?? '—'}`,
    `  last run ${lastRunText(s)}`,
    ...deliveryText(s),
    `  capture  ${s.capture?.workflowId ?? '—'}: ${s.capture?.state ?? 'not started'}`,
    ...(s.capture?.bindings ?? []).map(
      (b) =>
        `    ${b.resource.padEnd(14)} ${b.state.padEnd(11)} ${String(b.documents).padStart(8)} documents${b.lastError ? `  ${b.lastError.type}: ${b.lastError.message}` : ''}`,
    ),
  ];
  if (s.lastError) lines.push(`  last error: ${s.lastError.type}: ${s.lastError.message}`);
  return lines.join('\n');
}

export async function pipelineStatusCommand(
  name: string,
  runtime: RuntimeConfig,
  opts: { json: boolean },
): Promise<number> {
  const s = await queryPipeline(name, runtime);
  console.log(opts.json ? JSON.stringify(s, null, 2) : pipelineText(s));
  return s.phase === 'failed' ? 1 : 0;
}

export async function pipelineSignalCommand(
  verb: 'stop' | 'delete',
  name: string,
  runtime: RuntimeConfig,
): Promise<number> {
  const { client, close } = await connectClient(runtime);
  try {
    const handle = client.workflow.getHandle(pipelineWorkflowId(name));
    const described = await handle.describe();
    if (described.status.name !== 'RUNNING') return await closedPipeline(verb, name, described, runtime);
    await handle.signal(verb === 'stop' ? pipelineStopSignal : pipelineDeleteSignal, {
      reason: `pendoflow pipeline ${verb}`,
    });
    console.log(`sent ${verb} to ${pipelineWorkflowId(name)}; waiting for it to finish…`);
    const final = await handle.result();
    console.log(pipelineText(final));
    return 0;
  } finally {
    await close();
  }
}

/** A pipeline already closed: `stop` has nothing to do; `delete` still deletes the dataflow it left behind. */
async function closedPipeline(
  verb: 'stop' | 'delete',
  name: string,
  described: WorkflowExecutionDescription,
  runtime: RuntimeConfig,
): Promise<number> {
  const closed = `${pipelineWorkflowId(name)} is already closed (${described.status.name.toLowerCase()})`;
  if (verb === 'stop') {
    console.log(`${closed}; nothing to stop`);
    return 0;
  }
  const dataflowName = described.typedSearchAttributes.get(AEP_DATAFLOW) ?? name;
  const sandbox = described.typedSearchAttributes.get(AEP_SANDBOX);
  const r = await deleteDataflow(runtime, dataflowName, { sandbox, reason: 'pendoflow pipeline delete', wait: true });
  if (!r.sent) {
    console.log(`${closed}, and its dataflow ${r.workflowId} is not running; nothing to delete`);
    return 0;
  }
  console.log(`${closed}; deleted its dataflow ${r.workflowId}`);
  if (r.state) console.log(statusText(r.state));
  return 0;
}

/** Replays a pipeline's dead letters through its workflow (the worker holds them); exit 1 while some stay refused. */
export async function pipelineReplayCommand(name: string, runtime: RuntimeConfig): Promise<number> {
  const { client, close } = await connectClient(runtime);
  try {
    const handle = client.workflow.getHandle(pipelineWorkflowId(name));
    const r = await handle.executeUpdate(pipelineReplayDeadLettersUpdate);
    console.log(
      r.replayed === 0
        ? `${name}: no dead letters to replay`
        : `${name}: replayed ${r.replayed} dead letter(s): ${r.accepted} accepted, ${r.refused} refused again (kept)`,
    );
    console.log(pipelineText(await handle.query(pipelineStateQuery)));
    return r.refused > 0 ? 1 : 0;
  } finally {
    await close();
  }
}
