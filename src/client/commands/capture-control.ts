import { loadCaptureFile } from '../../config/load';
import type { RuntimeConfig } from '../../config/runtime';
import { secretSource } from '../../config/secrets';
import type { CaptureSpec, CaptureStatus } from '../../shared/capture-types';
import { captureStatusQuery, pauseSignal, reconfigureSignal, resumeSignal, stopSignal } from '../../shared/messages';
import { CAPTURE_NAME, CAPTURE_STATE } from '../../shared/search-attributes';
import { bindingWorkflowId, captureWorkflowId } from '../../shared/task-queues';
import { capture } from '../../workflows';
import { CLOSED_STATES, withOutcome } from '../../workflows/binding-progress';
import { bindingOutcome } from '../binding-outcome';
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
    if (!started) {
      const dead = await queryStatus(spec.name, runtime).then(
        (s) => s.bindings.filter((b) => b.state === 'failed' || b.state === 'terminated').map((b) => b.resource),
        () => [],
      );
      if (dead.length > 0) {
        console.log(
          `  not running: ${dead.join(', ')}; 'capture stop ${spec.name}' then 'capture start' again resumes ` +
            'them from their committed cursor',
        );
      }
    }
  }
  return 0;
}

/**
 * The capture's status, with each binding the capture still thinks open checked against Temporal: a binding whose
 * workflow was terminated or failed shows so at once, even before its capture has noticed.
 */
export async function queryStatus(name: string, runtime: RuntimeConfig): Promise<CaptureStatus> {
  const { client, close } = await connectClient(runtime);
  try {
    const status = await client.workflow.getHandle(captureWorkflowId(name)).query(captureStatusQuery);
    const bindings = await Promise.all(
      status.bindings.map(async (b) => {
        if (CLOSED_STATES.has(b.state)) return b;
        const outcome = await bindingOutcome(client, bindingWorkflowId(name, b.resource));
        return outcome ? withOutcome(b, outcome) : b;
      }),
    );
    return { ...status, bindings };
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
