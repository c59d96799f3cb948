import { loadPipelineFile } from '../../config/pipeline-load';
import type { RuntimeConfig } from '../../config/runtime';
import { secretSource } from '../../config/secrets';
import {
  pipelineDeleteSignal,
  pipelineStateQuery,
  pipelineStopSignal,
  pipelineWorkflowId,
} from '../../shared/pipeline-messages';
import type { PipelineSpec, PipelineState } from '../../shared/pipeline-types';
import { AEP_DATAFLOW, AEP_SANDBOX, CAPTURE_NAME } from '../../shared/search-attributes';
import { pipelineStaticDetails } from '../../shared/static-details';
import { pipeline } from '../../workflows';
import { connectClient } from '../connect';
import { startOnce } from '../start-once';
import { assertSecretsSafe } from './capture-control';

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
  assertPipelineSecretsSafe(spec, runtime);
  const { client, close } = await connectClient(runtime);
  try {
    return await startOnce(client, pipeline, {
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
  } finally {
    await close();
  }
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

/** A short, readable view of a pipeline's state. */
export function pipelineText(s: PipelineState): string {
  const d = s.dataflow;
  const run = d?.lastRuns[0];
  const lines = [
    `${s.name}: ${s.phase}`,
    `  dataflow ${d?.workflowId ?? '—'}: ${d?.phase ?? 'starting'}${d?.flowId ? `, flow ${d.flowId}` : ''}`,
    `  inlet    ${d?.inletUrl ?? '—'}`,
    `  last run ${run ? `${run.status}: ${run.inputRecords} in, ${run.outputRecords} out, ${run.failedRecords} failed` : '—'}`,
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
