import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { bindingStatusQuery, pauseSignal, resumeSignal, stopSignal } from '../../src/workflows/capture/messages';
import type { EventWindowInput } from '../../src/workflows/capture/activity-types';
import { bindingInput, HOUR, hoursOf, untilState, windowDone } from '../helpers/binding-fixtures';
import { Gate, ScriptedActivities, useWorker } from '../helpers/scripted-activities';
import { until, useTimeSkipping } from '../helpers/time-skipping';

const env = useTimeSkipping();
const worker = useWorker(env, ['readCommittedCursor', 'captureEventWindow']);

/**
 * A binding two hours behind, whose first step waits at `gate`. `fn` gets its handle and the windows asked for so
 * far (as hours after the start); the binding is stopped after `fn` if it still runs.
 */
async function withBinding(
  gate: Gate,
  fn: (handle: WorkflowHandle, windows: () => number[][]) => Promise<void>,
): Promise<ScriptedActivities> {
  const startMs = Math.floor((await env().nowMs()) / HOUR) * HOUR - 2 * HOUR;
  const scripted = new ScriptedActivities({
    readCommittedCursor: async () => null,
    captureEventWindow: async () => {
      await gate.wait();
      return windowDone();
    },
  });
  const windows = () => scripted.inputs<EventWindowInput>('captureEventWindow').map((w) => hoursOf(w, startMs));
  const handle = await env().client.workflow.start('captureBinding', {
    taskQueue: worker(scripted),
    workflowId: `control-${randomUUID()}`,
    args: [bindingInput(startMs, 24)],
  });
  try {
    await fn(handle, windows);
  } catch (err) {
    await handle.terminate('the test failed');
    throw err;
  }
  if ((await handle.describe()).status.name === 'RUNNING') await handle.signal(stopSignal, {});
  await env().result(handle);
  return scripted;
}

describe('issue 10: pause, resume and stop reach a binding during a step and during its timer', () => {
  it('a pause during a step lets the step finish, then holds the binding past its interval; resume polls at once', async () => {
    const gate = new Gate();
    await withBinding(gate, async (handle, windows) => {
      await until('the first step has started', () => windows().length === 1);
      await handle.signal(pauseSignal, { reason: 'test' });
      gate.open();
      await untilState(handle, 'paused');
      const paused = await handle.query(bindingStatusQuery);
      expect(paused.backfill?.windowsDone).toBe(1);
      expect(paused.cursor).toBe(new Date(Date.parse(paused.backfill?.fromIso ?? '') + 2 * HOUR).toISOString());
      await env().sleep(3 * HOUR);
      expect(windows()).toEqual([[0, 2]]);
      await handle.signal(resumeSignal, {});
      await until('the resumed binding polls', () => windows().length === 2);
      expect(windows()[1]).toEqual([2, 5]);
    });
  });

  it('a pause during the timer holds the binding; resume cuts the rest of the interval short', async () => {
    const gate = new Gate();
    gate.open();
    await withBinding(gate, async (handle, windows) => {
      await untilState(handle, 'idle');
      await handle.signal(pauseSignal, {});
      await untilState(handle, 'paused');
      await env().sleep(2 * HOUR);
      expect(windows()).toEqual([[0, 2]]);
      await handle.signal(resumeSignal, {});
      await until('the resumed binding polls', () => windows().length === 2);
      await untilState(handle, 'idle');
    });
  });

  it('a stop during a step ends the binding after that step, with nothing more asked', async () => {
    const gate = new Gate();
    let result: unknown;
    const scripted = await withBinding(gate, async (handle, windows) => {
      await until('the first step has started', () => windows().length === 1);
      await handle.signal(stopSignal, {});
      gate.open();
      result = await env().result(handle);
      expect((await handle.query(bindingStatusQuery)).state).toBe('stopped');
    });
    expect(result).toBeUndefined();
    expect(scripted.names()).toEqual(['readCommittedCursor', 'captureEventWindow']);
  });

  it('a stop during the timer ends the binding at once, not after the interval', async () => {
    const gate = new Gate();
    gate.open();
    const scripted = await withBinding(gate, async (handle) => {
      await untilState(handle, 'idle');
      await handle.signal(stopSignal, {});
      await env().result(handle);
      expect((await handle.query(bindingStatusQuery)).state).toBe('stopped');
      // The hourly timer was cut short, not waited out.
      const { events } = await handle.fetchHistory();
      expect(events?.filter((e) => e.timerCanceledEventAttributes)).toHaveLength(1);
      expect(events?.filter((e) => e.timerFiredEventAttributes)).toHaveLength(0);
    });
    expect(scripted.names()).toEqual(['readCommittedCursor', 'captureEventWindow']);
  });
});
