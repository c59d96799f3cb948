import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { parseCaptureDocument } from '../../src/config/load';
import type { BindingStatus, CaptureSpec, CaptureStatus } from '../../src/workflows/capture/types';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import type { ResourceName } from '../../src/resources';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import type { capture } from '../../src/workflows';
import { KEY_ENV } from './emulator-data';

export type CaptureHandle = WorkflowHandle<typeof capture>;

/** A capture with the defaults of a capture file, against an emulator, reading the key from KEY_ENV on the worker. */
export function benchSpec(name: string, baseUrl: string, resources: readonly ResourceName[]): CaptureSpec {
  const [spec] = parseCaptureDocument(
    {
      name,
      endpoint: { credentials: { access_token: `env:${KEY_ENV}` }, baseUrl },
      bindings: resources.map((resource) => ({ resource })),
    },
    name,
  );
  return spec as CaptureSpec;
}

export async function startCapture(client: Client, taskQueue: string, spec: CaptureSpec): Promise<CaptureHandle> {
  return client.workflow.start<typeof capture>('capture', {
    workflowId: captureWorkflowId(spec.name),
    taskQueue,
    args: [{ spec }],
  });
}

/** Whether a binding has read everything before `horizonMs` (events) or taken a snapshot (metadata). */
export function bindingCaughtUp(b: BindingStatus, horizonMs: number): boolean {
  if (b.state === 'failed') throw new Error(`${b.capture}/${b.resource} failed: ${b.lastError?.message}`);
  if (b.backfill === null) return b.lastPollAt !== null;
  return b.cursor !== null && Date.parse(b.cursor) >= horizonMs;
}

/** Polls the status query until every binding has caught up with `horizonMs`; returns the last status. */
export async function waitCaughtUp(
  handle: CaptureHandle,
  horizonMs: number,
  timeoutMs: number,
  everyMs = 250,
): Promise<CaptureStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await handle.query(captureStatusQuery);
    if (status.bindings.length > 0 && status.bindings.every((b) => bindingCaughtUp(b, horizonMs))) return status;
    if (Date.now() > deadline) throw new Error(`${status.capture} did not catch up within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

/** Signals stop and waits for the capture to complete. */
export async function stopCapture(handle: CaptureHandle): Promise<void> {
  await handle.signal(stopSignal, { reason: 'benchmark done' });
  await handle.result();
}
