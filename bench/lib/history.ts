import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Where a binding's time went, from its history: in activities, queued for a worker, and between steps. */
export interface StepTimes {
  activities: number;
  inActivitiesS: number;
  queuedS: number;
  /** From one activity's completion to the next one's scheduling: workflow tasks, signals, timers. */
  betweenS: number;
}

const msOf = (e: HistoryEvent) =>
  Number(e.eventTime?.seconds?.toString() ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/** Sums the activity timings of a workflow's current run. */
export async function stepTimes(handle: WorkflowHandle): Promise<StepTimes> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  const times: StepTimes = { activities: 0, inActivitiesS: 0, queuedS: 0, betweenS: 0 };
  let lastDone: number | undefined;
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) {
      scheduled.set(String(e.eventId), msOf(e));
      if (lastDone !== undefined) times.betweenS += (msOf(e) - lastDone) / 1000;
    }
    const startedOf = e.activityTaskStartedEventAttributes;
    if (startedOf) started.set(String(startedOf.scheduledEventId), msOf(e));
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const id = String(done.scheduledEventId);
      const start = started.get(id) ?? msOf(e);
      times.activities++;
      times.inActivitiesS += (msOf(e) - start) / 1000;
      times.queuedS += (start - (scheduled.get(id) ?? start)) / 1000;
      lastDone = msOf(e);
    }
  }
  return times;
}
