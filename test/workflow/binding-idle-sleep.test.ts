import { randomUUID } from 'node:crypto';
import { stopSignal } from '../../src/workflows/capture/messages';
import type { EventWindowInput } from '../../src/workflows/capture/activity-types';
import { bindingInput, HOUR, hoursOf, windowDone } from '../helpers/binding-fixtures';
import { ScriptedActivities, useWorker } from '../helpers/scripted-activities';
import { until, useTimeSkipping } from '../helpers/time-skipping';

const env = useTimeSkipping();
const worker = useWorker(env, ['readCommittedCursor', 'captureEventWindow']);

describe('issue 13: a caught-up event binding sleeps until there is something to read', () => {
  it('wakes once an hour, when the horizon moves, not every interval, and reads each hour once', async () => {
    const startMs = Math.floor((await env().nowMs()) / HOUR) * HOUR - HOUR;
    const scripted = new ScriptedActivities({
      readCommittedCursor: async () => null,
      captureEventWindow: async () => windowDone(),
    });
    const windows = () => scripted.inputs<EventWindowInput>('captureEventWindow').map((w) => hoursOf(w, startMs));
    const input = bindingInput(startMs, 24);
    const handle = await env().client.workflow.start('captureBinding', {
      taskQueue: worker(scripted),
      workflowId: `idle-${randomUUID()}`,
      args: [{ ...input, settings: { ...input.settings, intervalMs: 30_000 } }],
    });
    await until('the backfill is read', () => windows().length === 1);
    await env().sleep(3 * HOUR);
    await until('three more hours are read', () => windows().length === 4);
    await handle.signal(stopSignal, {});
    await env().result(handle);
    expect(windows()).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    const timers = (await handle.fetchHistory()).events?.filter((e) => e.timerStartedEventAttributes) ?? [];
    // Polling every 30 s would have started 360 timers in these three hours.
    expect(timers.length).toBeGreaterThanOrEqual(3);
    expect(timers.length).toBeLessThanOrEqual(6);
  });
});
