import { bindingStatusQuery, pauseSignal, resumeSignal } from '../../src/workflows/capture/messages';
import type { EventWindowInput } from '../../src/workflows/capture/activity-types';
import { HISTORY_BUDGET } from '../../src/workflows/capture/history-budget';
import { bindingInput, HOUR, hoursOf, untilState, windowDone } from '../helpers/binding-fixtures';
import { Gate, ScriptedActivities, withWorker } from '../helpers/scripted-activities';
import { until, useTimeSkipping } from '../helpers/time-skipping';

const env = useTimeSkipping();

describe('issue 10: continue-as-new carries a binding on', () => {
  it('carries the cursor, the counters and the pause into the next run, which resumes where the last stopped', async () => {
    const startMs = Math.floor((await env().nowMs()) / HOUR) * HOUR - 4 * HOUR;
    const gate = new Gate();
    const scripted = new ScriptedActivities({
      readCommittedCursor: async () => null,
      captureEventWindow: async () => {
        await gate.wait();
        return windowDone(5);
      },
    });
    const windows = () => scripted.inputs<EventWindowInput>('captureEventWindow').map((w) => hoursOf(w, startMs));
    await withWorker(env(), scripted, async (taskQueue) => {
      const handle = await env().client.workflow.start('captureBinding', {
        taskQueue,
        workflowId: `can-${taskQueue}`,
        args: [bindingInput(startMs, 1)],
      });
      const firstRunId = (await handle.describe()).runId;
      await until('the first window has started', () => windows().length === 1);
      // Pauses whose reasons fill the history past pendoflow's byte budget, while the first window runs.
      const reason = 'x'.repeat(1_500_000);
      for (let sent = 0; sent * reason.length < HISTORY_BUDGET.bytes; sent++)
        await handle.signal(pauseSignal, { reason });
      gate.open();
      await until('the binding continued as new', async () => (await handle.describe()).runId !== firstRunId);
      await untilState(handle, 'paused');
      const carried = await handle.query(bindingStatusQuery);
      expect(carried.cursor).toBe(new Date(startMs + HOUR).toISOString());
      expect(carried.documents).toBe(5);
      expect(carried.backfill).toMatchObject({ windowsDone: 1, windowsSplit: 0 });
      await env().sleep(2 * HOUR);
      expect(windows()).toEqual([[0, 1]]);
      await handle.signal(resumeSignal, {});
      await until('the next run has captured the backfill', () => windows().length === 6);
      await handle.terminate('test done');
    });
    // The next run did not read the committed cursor again: it came with the carried one.
    expect(scripted.names('readCommittedCursor')).toHaveLength(1);
    expect(windows()).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
  });
});
