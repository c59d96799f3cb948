import type { Client } from '@temporalio/client';
import { loadCaptures } from '../../../config/load';
import type { RuntimeConfig } from '../../../config/runtime';
import { secretSource } from '../../../config/secrets';
import type { CaptureSpec, CaptureStatus } from '../../../workflows/capture/types';
import {
  bindingStatusQuery,
  captureStatusQuery,
  pauseSignal,
  resumeSignal,
  stopSignal,
} from '../../../workflows/capture/messages';
import { CAPTURE_NAME, CAPTURE_STATE } from '../../../workflows/common/search-attributes';
import { captureStaticDetails } from '../../../workflows/common/static-details';
import { bindingWorkflowId, captureWorkflowId } from '../../../workflows/capture/ids';
import { capture } from '../../../workflows';
import { CLOSED_STATES, withOutcome } from '../../../workflows/capture/binding-progress';
import { bindingOutcome } from './binding-outcome';
import { connectClient } from '../../connect';
import { printWarnings } from './validate';
import { startOnce } from '../../start-once';
import { ChangeRejectedError, reconfigureByUpdate } from '../../updates';

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
  const { client, close } = await connectClient(runtime);
  try {
    return await startCaptureWith(client, spec, runtime);
  } finally {
    await close();
  }
}

/** {@link startCapture} on a client the caller holds. */
export async function startCaptureWith(client: Client, spec: CaptureSpec, runtime: RuntimeConfig): Promise<boolean> {
  assertSecretsSafe(spec, runtime);
  return startOnce(client, capture, {
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
}

export async function startCommand(file: string, runtime: RuntimeConfig): Promise<number> {
  const loaded = loadCaptures(file);
  printWarnings(
    file,
    loaded.flatMap((c) => c.warnings),
  );
  for (const { spec } of loaded) {
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
    return await freshCaptureStatus(client, name);
  } finally {
    await close();
  }
}

/**
 * The capture's status with each binding's own: a binding reports to its capture only when its state changes (and
 * every few minutes), so the live numbers are the binding's; one that closed without a word is shown as such.
 */
export async function freshCaptureStatus(client: Client, name: string): Promise<CaptureStatus> {
  const status = await client.workflow.getHandle(captureWorkflowId(name)).query(captureStatusQuery);
  const bindings = await Promise.all(
    status.bindings.map(async (b) => {
      if (CLOSED_STATES.has(b.state)) return b;
      const workflowId = bindingWorkflowId(name, b.resource);
      const outcome = await bindingOutcome(client, workflowId);
      if (outcome) return withOutcome(b, outcome);
      return client.workflow
        .getHandle(workflowId)
        .query(bindingStatusQuery)
        .catch(() => b);
    }),
  );
  return { ...status, bindings };
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

/** Sends only what the file states: a setting or the bindings it leaves out keep their running values. */
export async function reconfigureCommand(name: string, file: string, runtime: RuntimeConfig): Promise<number> {
  const loaded = loadCaptures(file).find((c) => c.spec.name === name);
  if (!loaded) throw new Error(`${file} has no capture named ${name}`);
  assertSecretsSafe(loaded.spec, runtime);
  printWarnings(file, loaded.warnings);
  const { changes } = loaded;
  const { client, close } = await connectClient(runtime);
  try {
    const reason = `pendoflow capture reconfigure -f ${file}`;
    const status = await reconfigureByUpdate(client, name, { ...changes, reason });
    const settings = Object.keys(changes.settings ?? {});
    console.log(
      `reconfigured ${captureWorkflowId(name)}: ` +
        `${changes.bindings ? `${changes.bindings.length} binding(s)` : 'bindings unchanged'}, ` +
        `${settings.length ? `settings ${settings.join(', ')}` : 'settings unchanged'}; ` +
        `now ${status.bindings.map((b) => b.resource).join(', ')} every ${status.intervalMs / 1000}s`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ChangeRejectedError)) throw err;
    console.error(`pendoflow: ${err.message}; nothing changed`);
    return 1;
  } finally {
    await close();
  }
}
