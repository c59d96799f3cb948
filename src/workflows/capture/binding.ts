import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  metricMeter,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { SnapshotWatchResult, StepTarget } from './activity-types';
import type { BindingSpec, BindingState, CaptureSettings, ErrorInfo, PendoEndpoint, SinkSpec } from './types';
import { CONFIG_ERROR, PENDO_PERMANENT_ERRORS, PendoErrorType, SNAPSHOT_UNCHANGED } from '../common/errors';
import {
  bindingReportSignal,
  bindingStatusQuery,
  pauseSignal,
  bindingSettingsSignal,
  legacyCaptureNames,
  type ReconfigureBindingArgs,
  resumeSignal,
  slowDownSignal,
  stopSignal,
} from './messages';
import { RESOURCE_KINDS, type ResourceName } from '../../resources';
import { CAPTURE_STATE } from '../common/search-attributes';
import { applyStartChange, type BindingProgress, bindingStatus, initialProgress, resumeFrom } from './binding-progress';
import { captureHorizon, floorHour, HOUR, idleWaitMs, nextWindow, rescanRange, type Window } from './cursor';
import { historyFull } from './history-budget';
import { describeFailure, type StepFailure } from './failures';
import { bindingDetails } from './details';
import { captureWindows, type RangeDeps } from './window-range';
import { captureWindowsInTurn } from './window-turns';
import { WindowThrottle } from './window-throttle';
import { windowSlots } from './window-pool';

/** Windows read concurrently, with the cursor over their contiguous prefix (runs from before read one at a time). */
const CONCURRENT_WINDOWS_PATCH = 'concurrent-windows';
const SLEEP_UNTIL_DUE_PATCH = 'binding-sleep-until-due';
/** Snapshot polls run as local activities (runs from before polled with an activity each time). */
const SNAPSHOT_LOCAL_PATCH = 'snapshot-local-activity';
/** Snapshot polls run as the retries of one watch activity (runs from before polled with a local activity each time). */
const SNAPSHOT_WATCH_PATCH = 'snapshot-watch-activity';

export interface CaptureBindingInput {
  capture: string;
  binding: BindingSpec;
  endpoint: PendoEndpoint;
  settings: CaptureSettings;
  sink?: SinkSpec;
  /** The capture workflow to report to after each step. */
  parentWorkflowId?: string;
  progress?: BindingProgress;
  paused?: boolean;
  /** Every binding of the capture, which share its request budget. Absent: this binding alone. */
  siblings?: ResourceName[];
}

const STEP_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 6,
  nonRetryableErrorTypes: [...PENDO_PERMANENT_ERRORS, PendoErrorType.TooLarge, CONFIG_ERROR],
};
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1h',
  // The step heartbeats every few seconds, so a killed worker is noticed quickly and the step moves on.
  heartbeatTimeout: '20s',
  retry: STEP_RETRY,
});
const store = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumInterval: '30s' } });
/**
 * Snapshot polls as local activities: a snapshot binding polls every interval for as long as it runs, and a local
 * activity costs it one workflow task per poll, not two, and no activity task. Their retries stay local (under a
 * minute of backoff in all); a longer outage surfaces as the step's failure, and the loop polls again.
 */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10m', retry: STEP_RETRY });
/**
 * Snapshot watches: the watch's retries are its polls (see watchSnapshot), so its attempts are unlimited, and one
 * that found nothing names the interval as its retry delay. A transient failure backs off as a step's would. A
 * killed worker is noticed by the heartbeat timeout (a quick poll sends no heartbeat, and the timeout runs from
 * the attempt's start).
 */
const watch = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: { ...STEP_RETRY, maximumAttempts: undefined },
});

/** During a range, a binding reports to its capture at most this often (and at once when its state or error changes). */
const REPORT_EVERY_MS = 2000;
/**
 * Between changes, a binding refreshes its capture's view (documents, cursor) after this much polling. Each report
 * is a signal in both histories, so steady polling must not report every time; the capture's own liveness check
 * (binding-watch.ts) notices a binding that closed without a word.
 */
const REFRESH_EVERY_MS = 10 * 60_000;

/**
 * Captures one Pendo resource into its collection, forever: a step activity, a timer a signal can cut short,
 * and continue-as-new between any two windows once the history is long enough (`historyFull`), so a backfill of
 * any length never nears Temporal's history limit. Documents never pass through history; each step returns
 * counts, and the workflow keeps only cursors and counters. A fresh binding starts from its collection's committed
 * cursor, so a restarted capture resumes where its data ends. A permanent failure (bad key, wrong region) ends
 * the binding with a readable message instead of a retry loop.
 */
export async function captureBinding(input: CaptureBindingInput): Promise<void> {
  const { capture, binding, endpoint } = input;
  let settings = input.settings;
  const progress = input.progress ?? initialProgress(settings);
  let paused = input.paused ?? false;
  let stopping = false;
  let wake = false;
  let state: BindingState = paused ? 'paused' : 'starting';
  const isSnapshot = RESOURCE_KINDS[binding.resource] === 'snapshot';
  const isIncremental = RESOURCE_KINDS[binding.resource] === 'incremental';
  const lagGauge = metricMeter.createGauge('pendoflow_capture_lag_seconds', 'int', 's', 'How far a binding trails now');
  let siblings = input.siblings ?? [binding.resource];
  const inFlight: Window[] = [];
  const throttle = new WindowThrottle(progress, () => windowSlots(settings.limits, siblings));

  const status = () =>
    bindingStatus(capture, binding, settings, progress, state, Date.now(), { inFlight, slots: throttle.slots() });
  setHandler(bindingStatusQuery, status, {
    description: 'Where this binding is: state, cursor, backfill, counts, errors.',
  });
  setHandler(legacyCaptureNames.bindingStatusQuery, status, { description: 'Old name of bindingStatus (kept).' });
  const applySettings = ({ settings: next, siblings: all }: ReconfigureBindingArgs) => {
    if (all) siblings = all;
    applyStartChange(progress, settings.startMs, next.startMs);
    if (next.limits.windowHours !== settings.limits.windowHours) progress.windowHours = next.limits.windowHours;
    settings = next;
    wake = true;
  };
  setHandler(bindingSettingsSignal, applySettings, {
    description: 'Replaces the settings: {"settings": {...}}. Sent by the capture workflow.',
  });
  // Captures that started before `applySettings` existed still send their bindings `reconfigure`.
  setHandler(legacyCaptureNames.bindingReconfigureSignal, applySettings, {
    description: 'Old name of applySettings (kept), sent by older capture runs.',
  });
  setHandler(slowDownSignal, () => throttle.slowDown(), {
    description: 'Halves the windows in flight for a while: a sibling binding met a 429. {"from": "Page"}',
  });
  /** Sets the pause and stop flags, and wakes the loop so that it acts on them now. */
  const control = (change: { paused?: boolean; stopping?: boolean }) => () => {
    if (change.paused !== undefined) paused = change.paused;
    if (change.stopping !== undefined) stopping = change.stopping;
    wake = true;
  };
  setHandler(pauseSignal, control({ paused: true }), { description: 'Pauses after the current step.' });
  setHandler(resumeSignal, control({ paused: false }), { description: 'Resumes capturing.' });
  setHandler(stopSignal, control({ stopping: true }), { description: 'Stops after the current step.' });

  const target = (): StepTarget => ({
    capture,
    resource: binding.resource,
    target: binding.target,
    endpoint,
    limits: settings.limits,
    sink: input.sink,
  });

  let reported: { atMs: number; state: BindingState; error: ErrorInfo | null } | undefined;
  let quietPolls = 0;
  /** Polls the last step made: one, or a watch's. */
  let stepPolls = 1;
  /**
   * `clockMs`, when given, is a time recorded in history (a window's finish), and lets an unchanged state skip its
   * report. It is never the workflow clock: that can differ on replay after a timed-out workflow task.
   */
  async function setState(next: BindingState, clockMs?: number): Promise<void> {
    if (next !== state) upsertSearchAttributes([{ key: CAPTURE_STATE, value: next }]);
    state = next;
    const s = status();
    setCurrentDetails(bindingDetails(s));
    if (s.lagSeconds !== null) lagGauge.set(s.lagSeconds, { capture, resource: binding.resource });
    if (!input.parentWorkflowId) return;
    // Each report costs both histories events, so a run of fast windows reports a few times, not once per window.
    const changed = !reported || reported.state !== state || reported.error !== progress.lastError;
    if (!changed) {
      if (clockMs !== undefined) {
        if (clockMs - (reported?.atMs ?? 0) < REPORT_EVERY_MS) return;
      } else if ((quietPolls += stepPolls) * settings.intervalMs < REFRESH_EVERY_MS) return;
    }
    quietPolls = 0;
    reported = { atMs: clockMs ?? reported?.atMs ?? 0, state, error: progress.lastError };
    try {
      await getExternalWorkflowHandle(input.parentWorkflowId).signal(bindingReportSignal, s);
    } catch {
      // The capture workflow may be closing; this binding's own status query stays authoritative.
    }
  }

  async function fail(failure: StepFailure): Promise<never> {
    progress.lastError = failure.info;
    await setState('failed');
    throw ApplicationFailure.nonRetryable(failure.info.message, failure.info.type);
  }

  /**
   * Continues as new when this run's history is long enough. Called only between windows: the window before is
   * committed to `progress`, the next one not started, and the next run computes its windows from `progress`.
   */
  async function continueAsNewIfFull(): Promise<void> {
    if (stopping || !historyFull(workflowInfo())) return;
    await condition(allHandlersFinished);
    if (stopping) return;
    await continueAsNew<typeof captureBinding>({ ...input, settings, progress, paused });
  }

  /**
   * Captures the windows of a range, splitting a failing window; false when a step must be retried later.
   * `advance` says what a finished window moves: the binding's cursor (and the collection's committed cursor), or
   * the position of the rescan under way. Rescans read one window at a time.
   */
  async function captureRange(range: Window, limit: number, advance: 'cursor' | 'rescan'): Promise<boolean> {
    const deps: RangeDeps = {
      progress,
      settings: () => settings,
      slots: advance === 'cursor' ? () => throttle.slots() : () => 1,
      stopping: () => stopping,
      runWindow: (w) => acts.captureEventWindow({ ...target(), ...w }),
      inFlight,
      onThrottle: (count) => throttle.throttled(count, capture, binding.resource, siblings),
      onClean: () => throttle.clean(),
      setState: (clockMs) => setState(state, clockMs),
      fail,
      continueAsNewIfFull,
    };
    if (!patched(CONCURRENT_WINDOWS_PATCH)) return captureWindowsInTurn(deps, range, limit, advance);
    return captureWindows(deps, range, limit, advance);
  }

  /**
   * Watches the list until a poll changes something or the watch is due; undefined when a signal (stop, pause,
   * new settings) ended it first, so that the binding acts on the signal now rather than at the next poll.
   */
  async function watchSnapshot(): Promise<SnapshotWatchResult | undefined> {
    const scope = new CancellationScope();
    let settled = false;
    const watching = scope.run(() => watch.watchSnapshot({ ...target(), intervalMs: settings.intervalMs }));
    void condition(() => wake || settled).then(() => {
      if (!settled) scope.cancel();
    });
    try {
      return await watching;
    } catch (err) {
      // A poll under way when the cancellation came may end as "unchanged": the server does not retry it then.
      const unchanged =
        err instanceof ActivityFailure &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === SNAPSHOT_UNCHANGED;
      // Only this watch's own cancellation; the workflow's goes on up.
      const cut = isCancellation(err) && !CancellationScope.current().consideredCancelled;
      if (cut || unchanged) return undefined;
      throw err;
    } finally {
      settled = true;
    }
  }

  /** One poll: returns false when it ended early on a transient failure. */
  async function step(): Promise<boolean> {
    if (isSnapshot || isIncremental) {
      try {
        if (isIncremental) {
          // Only the six resources added later take this branch, so histories of the first nine replay unchanged.
          const r = await acts.captureIncremental({ ...target(), startMs: settings.startMs });
          progress.documents += r.rows;
        } else if (patched(SNAPSHOT_WATCH_PATCH)) {
          const r = await watchSnapshot();
          stepPolls = r?.polls ?? 0;
          if (!r) return true;
          progress.documents += r.changed + r.deleted;
          progress.shrinks = (progress.shrinks ?? 0) + r.shrinks;
        } else {
          const r = patched(SNAPSHOT_LOCAL_PATCH)
            ? await local.pollSnapshot(target())
            : await acts.captureSnapshot(target());
          progress.documents += r.changed + r.deleted;
          progress.shrinks = (progress.shrinks ?? 0) + (r.shrinks ?? 0);
        }
        progress.lastError = null;
      } catch (err) {
        const failure = describeFailure(err, Date.now());
        if (!failure.retryable) await fail(failure);
        progress.lastError = failure.info;
        return false;
      }
      progress.lastPollAtMs = Date.now();
      return true;
    }
    const horizon = captureHorizon(Date.now(), settings.lateData);
    const pending = nextWindow(progress.cursorMs, horizon, Number.MAX_SAFE_INTEGER);
    if (pending) {
      const backfilling = pending.toMs - pending.fromMs > HOUR;
      await setState(backfilling ? 'backfilling' : 'polling');
      const limit = backfilling ? settings.limits.backfillLimit : settings.limits.incrementalLimit;
      if (!(await captureRange(pending, limit, 'cursor'))) return false;
      // Hours a backfill has just read are as fresh as a rescan would make them.
      if (backfilling) progress.lastRescanAtMs = Date.now();
    }
    const late = settings.lateData;
    const rescanning = late.mode === 'rescan' && late.rescanWindowMs > 0;
    if (!rescanning) progress.rescanFromMs = null;
    const rescanDue = Date.now() - progress.lastRescanAtMs >= late.rescanEveryMs;
    if (progress.rescanFromMs == null && rescanning && rescanDue) {
      const range = rescanRange(settings.startMs, progress.cursorMs, late.rescanWindowMs);
      if (range) progress.rescanFromMs = range.fromMs;
      else progress.lastRescanAtMs = Date.now();
    }
    // A rescan that a continue-as-new cut short goes on from where it was.
    if (progress.rescanFromMs != null && !stopping) {
      const fromMs = Math.max(progress.rescanFromMs, floorHour(settings.startMs));
      if (fromMs < progress.cursorMs) {
        await setState('polling');
        const range = { fromMs, toMs: progress.cursorMs };
        if (!(await captureRange(range, settings.limits.incrementalLimit, 'rescan'))) return false;
        if (stopping) return true;
        progress.rescans++;
      }
      progress.rescanFromMs = null;
      progress.lastRescanAtMs = Date.now();
    }
    progress.lastPollAtMs = Date.now();
    return true;
  }

  /**
   * An event binding caught up sleeps until the horizon moves or a rescan is due: each wake-up costs a workflow
   * task and history events, and one that comes earlier reads nothing. Runs from before this patch replay as they
   * ran, waking every interval.
   */
  function pollWaitMs(): number {
    if (isSnapshot || isIncremental || !patched(SLEEP_UNTIL_DUE_PATCH)) return settings.intervalMs;
    return idleWaitMs(progress, settings, Date.now());
  }

  upsertSearchAttributes([{ key: CAPTURE_STATE, value: state }]);
  if (!input.progress && !isSnapshot && !isIncremental) {
    resumeFrom(progress, settings, await store.readCommittedCursor({ target: binding.target }));
  }
  while (!stopping) {
    if (paused) {
      await setState('paused');
      await condition(() => !paused || stopping);
      continue;
    }
    // A signal taken during the step (pause, new settings) must cut the timer after it short. Runs recorded before
    // this patch reset the flag after the step, and waited the interval out; they replay as they ran.
    const wakeDuringStep = patched('binding-wake-during-step');
    if (wakeDuringStep) wake = false;
    const ok = await step();
    if (stopping) break;
    await setState(ok ? 'idle' : state);
    if (!wakeDuringStep) wake = false;
    // After a transient failure, try again sooner than a full interval, but not in a tight loop.
    const waitMs = ok ? pollWaitMs() : Math.min(settings.intervalMs, 60_000);
    await condition(() => wake, waitMs);
    // A stop must not be carried into a new run that no longer knows it was asked to stop.
    if (stopping) break;
    await continueAsNewIfFull();
  }
  await setState('stopped');
}
