import type { Client, WorkflowHandle } from '@temporalio/client';
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

/**
 * History event types that Temporal Cloud bills as actions. Queries and activity heartbeats are actions too but
 * leave no event, so a count from history is a floor.
 */
const ACTION_EVENTS = [
  'workflowExecutionStartedEventAttributes',
  'activityTaskScheduledEventAttributes',
  'timerStartedEventAttributes',
  'workflowExecutionSignaledEventAttributes',
  'signalExternalWorkflowExecutionInitiatedEventAttributes',
  'startChildWorkflowExecutionInitiatedEventAttributes',
  'upsertWorkflowSearchAttributesEventAttributes',
  'workflowPropertiesModifiedEventAttributes',
  'markerRecordedEventAttributes',
  'workflowExecutionUpdateAcceptedEventAttributes',
] as const;

export interface HistoryCount {
  events: number;
  actions: number;
  /** Actions beyond the activity's first attempt: retries show only as `attempt` on the started event. */
  retries: number;
}

/** The events of every run of `workflowId` (continued-as-new ones included) that happened in [fromMs, toMs). */
export async function countHistory(
  client: Client,
  workflowId: string,
  fromMs: number,
  toMs: number,
): Promise<HistoryCount> {
  const count: HistoryCount = { events: 0, actions: 0, retries: 0 };
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    if (run.closeTime && run.closeTime.getTime() < fromMs) continue;
    const { events } = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    for (const e of events ?? []) {
      const at = msOf(e);
      if (at < fromMs || at >= toMs) continue;
      count.events++;
      if (ACTION_EVENTS.some((field) => e[field])) count.actions++;
      const attempt = e.activityTaskStartedEventAttributes?.attempt ?? 1;
      if (attempt > 1) count.retries += attempt - 1;
    }
  }
  return count;
}

/**
 * Retries so far of the activities a workflow has pending (attempts beyond the first): a retry shows in history only
 * once its activity closes, so a window's retries are those of the activities that closed in it, plus this at its
 * end, less this at its start.
 */
export async function pendingRetries(client: Client, workflowId: string): Promise<number> {
  const pending = (await client.workflow.getHandle(workflowId).describe()).raw.pendingActivities ?? [];
  return pending.reduce((n, a) => n + Math.max(0, (a.attempt ?? 1) - 1), 0);
}
