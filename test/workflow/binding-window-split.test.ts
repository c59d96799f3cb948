import { randomUUID } from 'node:crypto';
import { PendoErrorType } from '../../src/workflows/common/errors';
import { bindingStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import type { EventWindowInput } from '../../src/workflows/capture/activity-types';
import type { BindingStatus } from '../../src/workflows/capture/types';
import { bindingInput, HOUR, hoursOf, windowDone } from '../helpers/binding-fixtures';
import { failure, ScriptedActivities, useWorker } from '../helpers/scripted-activities';
import { useTimeSkipping } from '../helpers/time-skipping';

const env = useTimeSkipping();
const worker = useWorker(env, ['readCommittedCursor', 'captureEventWindow']);

/** Backfills four hours in one window whose step fails as `fail` says while it spans more than two hours. */
async function backfill(fail: () => Promise<never>): Promise<{ windows: number[][]; status: BindingStatus }> {
  const startMs = Math.floor((await env().nowMs()) / HOUR) * HOUR - 4 * HOUR;
  const scripted = new ScriptedActivities({
    readCommittedCursor: async () => null,
    captureEventWindow: async (w: EventWindowInput) => (w.toMs - w.fromMs > 2 * HOUR ? fail() : windowDone()),
  });
  const handle = await env().client.workflow.start('captureBinding', {
    taskQueue: worker(scripted),
    workflowId: `split-${randomUUID()}`,
    args: [bindingInput(startMs, 4)],
  });
  // Long enough for every retry of the failing step and both halves, shorter than the hourly poll.
  await env().sleep(30 * 60_000);
  const status = await handle.query(bindingStatusQuery);
  await handle.signal(stopSignal, {});
  await env().result(handle);
  const windows = scripted.inputs<EventWindowInput>('captureEventWindow').map((w) => hoursOf(w, startMs));
  return { windows, status };
}

describe('issue 10: a binding splits a failing window', () => {
  it('splits a window Pendo finds too large into halves at once, then captures each', async () => {
    const { windows, status } = await backfill(async () => {
      throw failure(PendoErrorType.TooLarge, 'aggregation too large', true);
    });
    expect(windows).toEqual([
      [0, 4],
      [0, 2],
      [2, 4],
    ]);
    expect(status.backfill).toMatchObject({ windowsDone: 2, windowsSplit: 1, percent: 100 });
    expect(status.documents).toBe(2);
    expect(status.lastError).toBeNull();
  });

  it('splits a window whose requests time out, once its retries are spent', async () => {
    const { windows, status } = await backfill(async () => {
      throw failure(PendoErrorType.Timeout, 'no answer within 30 s');
    });
    // Six attempts (the binding's retry policy) of the whole window, then its halves.
    expect(windows).toEqual([...Array.from({ length: 6 }, () => [0, 4]), [0, 2], [2, 4]]);
    expect(status.backfill).toMatchObject({ windowsDone: 2, windowsSplit: 1 });
  });
});
