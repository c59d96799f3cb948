import { loadCaptureFile } from '../../config/load';
import type { RuntimeConfig } from '../../config/runtime';
import { secretSource } from '../../config/secrets';
import type { CaptureSpec, CaptureStatus } from '../../shared/capture-types';
import { captureStatusQuery, pauseSignal, reconfigureSignal, resumeSignal, stopSignal } from '../../shared/messages';
import { CAPTURE_NAME, CAPTURE_STATE } from '../../shared/search-attributes';
import { captureStaticDetails } from '../../shared/static-details';
import { captureWorkflowId } from '../../shared/task-queues';
import { capture } from '../../workflows';
import { connectClient } from '../connect';
import { startOnce } from '../start-once';

/** Refuses to put an inline secret into a workflow input that is not encrypted. */
export function assertSecretsSafe(spec: CaptureSpec, runtime: RuntimeConfig): void {
  if (secretSource(spec.endpoint.accessToken) === 'inline' && !runtime.encryptionKey) {
    throw new Error(
      `${spec.name}: credentials.access_token is inline, and would be stored in the workflow history in clear. ` +
        'Use env:NAME or file:PATH (resolved on the worker), or set PENDOFLOW_ENCRYPTION_KEY on the worker and the CLI.',
    );
  }
}

/** Starts a capture; one already running is left as it is. Returns whether it started. */
export async function startCapture(spec: CaptureSpec, runtime: RuntimeConfig): Promise<boolean> {
  assertSecretsSafe(spec, runtime);
  const { client, close } = await connectClient(runtime);
  try {
    return await startOnce(client, capture, {
      workflowId: captureWorkflowId(spec.name),
      taskQueue: runtime.taskQueue,
      args: [{ spec }],
      typedSearchAttributes: [
        { key: CAPTURE_NAME, value: spec.name },
        { key: CAPTURE_STATE, value: 'running' },
      ],
      staticSummary: `Pendo capture ${spec.name}: ${spec.bindings.map((b) => b.resource).join(', ')}`,
      staticDetails: captureStaticDetails(spec),
    });
  } finally {
    await close();
  }
}

export async function startCommand(file: string, runtime: RuntimeConfig): Promise<number> {
  for (const spec of loadCaptureFile(file)) {
    const started = await startCapture(spec, runtime);
    console.log(
      started
        ? `started ${captureWorkflowId(spec.name)} with ${spec.bindings.length} binding(s) on ${runtime.taskQueue}`
        : `${captureWorkflowId(spec.name)} is already running; nothing changed (use 'capture reconfigure' to change it)`,
    );
  }
  return 0;
}

export async function queryStatus(name: string, runtime: RuntimeConfig): Promise<CaptureStatus> {
  const { client, close } = await connectClient(runtime);
  try {
    return await client.workflow.getHandle(captureWorkflowId(name)).query(captureStatusQuery);
  } finally {
    await close();
  }
}

export type ControlVerb = 'pause' | 'resume' | 'stop';

export async function controlCommand(
  verb: ControlVerb,
  name: string,
  runtime: RuntimeConfig,
  reason?: string,
): Promise<number> {
  const { client, close } = await connectClient(runtime);
  try {
    const signal = verb === 'pause' ? pauseSignal : verb === 'resume' ? resumeSignal : stopSignal;
    await client.workflow
      .getHandle(captureWorkflowId(name))
      .signal(signal, { reason: reason ?? `pendoflow capture ${verb}` });
    console.log(`sent ${verb} to ${captureWorkflowId(name)}`);
    return 0;
  } finally {
    await close();
  }
}

export async function reconfigureCommand(name: string, file: string, runtime: RuntimeConfig): Promise<number> {
  const spec = loadCaptureFile(file).find((s) => s.name === name);
  if (!spec) throw new Error(`${file} has no capture named ${name}`);
  assertSecretsSafe(spec, runtime);
  const { client, close } = await connectClient(runtime);
  try {
    await client.workflow.getHandle(captureWorkflowId(name)).signal(reconfigureSignal, {
      bindings: spec.bindings,
      settings: spec.settings,
      reason: `pendoflow capture reconfigure -f ${file}`,
    });
    console.log(`sent reconfigure to ${captureWorkflowId(name)}: ${spec.bindings.length} binding(s)`);
    return 0;
  } finally {
    await close();
  }
}
