import type { WorkflowHandle } from '@temporalio/client';
import type { EventWindowInput, EventWindowResult } from '../../src/workflows/capture/activity-types';
import { bindingStatusQuery } from '../../src/workflows/capture/messages';
import type { BindingState } from '../../src/workflows/capture/types';
import type { CaptureBindingInput } from '../../src/workflows';
import { until } from './time-skipping';

export const HOUR = 3_600_000;

/** A PageEvents binding (hour windows, no rescans) that starts backfilling at `startMs`, polling hourly after. */
export function bindingInput(startMs: number, windowHours: number): CaptureBindingInput {
  return {
    capture: 'acme',
    binding: { resource: 'PageEvents', target: 'acme/PageEvents' },
    endpoint: { accessToken: 'env:PENDO_KEY' },
    settings: {
      startMs,
      intervalMs: HOUR,
      limits: { incrementalLimit: 100, backfillLimit: 1000, windowHours, requestTimeoutMs: 30_000 },
      lateData: { mode: 'rescan', processingDelayMs: 0, rescanWindowMs: 0, rescanEveryMs: HOUR, settleDelayMs: 0 },
    },
  };
}

/** A window written: `rows` documents. */
export const windowDone = (rows = 1): EventWindowResult => ({
  rows,
  pages: 1,
  hoursWithData: 1,
  rereads: 0,
  shrinks: 0,
});

/** A window as hours after `startMs`: `[from, to]`. */
export const hoursOf = (w: EventWindowInput, startMs: number): [number, number] => [
  (w.fromMs - startMs) / HOUR,
  (w.toMs - startMs) / HOUR,
];

/** Waits until the binding's status query shows `state`. */
export function untilState(handle: WorkflowHandle, state: BindingState): Promise<void> {
  return until(`the binding is ${state}`, async () => (await handle.query(bindingStatusQuery)).state === state);
}
