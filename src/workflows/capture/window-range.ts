import { log, workflowInfo } from '@temporalio/workflow';
import type { EventWindowInput, EventWindowResult } from './activity-types';
import type { CaptureSettings } from './types';
import { PendoErrorType } from '../common/errors';
import type { BindingProgress } from './binding-progress';
import { floorHour, HOUR, splitWindow, type Window } from './cursor';
import { describeFailure, type StepFailure } from './failures';
import { historyFull } from './history-budget';
import { advancePrefix, nextFreshWindow } from './window-pool';

/** What the concurrent range reader needs from its binding. */
export interface RangeDeps {
  progress: BindingProgress;
  settings: () => CaptureSettings;
  /** Windows that may be in flight now (the binding's slots, lowered after 429s). */
  slots: () => number;
  stopping: () => boolean;
  runWindow: (w: Window & Pick<EventWindowInput, 'limit' | 'commitCursor'>) => Promise<EventWindowResult>;
  /** The windows in flight now, kept up to date here for the status query. */
  inFlight: Window[];
  /** After each window: its result, or the 429 that failed it. */
  onThrottle: (throttled: number) => Promise<void>;
  onClean: () => void;
  setState: (clockMs?: number) => Promise<void>;
  fail: (failure: StepFailure) => Promise<never>;
  continueAsNewIfFull: () => Promise<void>;
}

type Outcome = { w: Window; result: EventWindowResult } | { w: Window; error: unknown };

/**
 * Reads the windows of a range up to `slots()` at once. Each window writes only its own hours, so windows finish
 * in any order; the cursor (or the rescan position) moves only over the contiguous prefix of finished windows,
 * and finished windows beyond it wait in `progress.doneAhead` (carried across continue-as-new). Only the window
 * that starts at the prefix commits the collection's cursor, so the committed cursor never passes a hole. A split
 * or a failure concerns its own window: the others go on. Before continue-as-new, no new window starts and those
 * in flight finish, so the next run inherits no running activity. Returns false when a window must be retried
 * later (its failure is in `progress.lastError`).
 */
export async function captureWindows(
  deps: RangeDeps,
  range: Window,
  limit: number,
  advance: 'cursor' | 'rescan',
): Promise<boolean> {
  const { progress } = deps;
  const running = new Map<number, { w: Window; outcome: Promise<Outcome> }>();
  const retry: Window[] = [];
  let rescanDone: Window[] = [];
  let rescanAt = range.fromMs;
  let frontier = range.fromMs;
  let halted = false;

  const prefix = () => (advance === 'cursor' ? progress.cursorMs : rescanAt);
  const doneAhead = () => (advance === 'cursor' ? (progress.doneAhead ?? []) : rescanDone);
  const publish = () => deps.inFlight.splice(0, deps.inFlight.length, ...[...running.values()].map((e) => e.w));
  const canLaunch = () => !halted && !deps.stopping() && !historyFull(workflowInfo()) && running.size < deps.slots();

  function launch(w: Window): void {
    const head = w.fromMs === prefix();
    const commitCursor = advance === 'cursor' && head ? { startMs: floorHour(deps.settings().startMs) } : undefined;
    const outcome = deps.runWindow({ ...w, limit, commitCursor }).then(
      (result): Outcome => ({ w, result }),
      (error: unknown): Outcome => ({ w, error }),
    );
    running.set(w.fromMs, { w, outcome });
  }

  function markDone(w: Window): void {
    const moved = advancePrefix(prefix(), [...doneAhead(), w]);
    if (advance === 'cursor') {
      progress.cursorMs = moved.prefix;
      progress.doneAhead = moved.ahead;
    } else {
      rescanAt = moved.prefix;
      progress.rescanFromMs = moved.prefix;
      rescanDone = moved.ahead;
    }
  }

  for (;;) {
    if (advance === 'cursor') frontier = Math.max(frontier, progress.cursorMs);
    while (canLaunch()) {
      const taken = [...doneAhead(), ...retry, ...[...running.values()].map((e) => e.w)];
      const w = retry.shift() ?? nextFreshWindow(frontier, range.toMs, progress.windowHours, taken);
      if (!w) break;
      frontier = Math.max(frontier, w.toMs);
      launch(w);
    }
    publish();
    if (running.size === 0) {
      // Nothing is in flight: the only safe moment to continue as new.
      if (!halted && !deps.stopping() && historyFull(workflowInfo())) {
        await deps.continueAsNewIfFull();
        continue;
      }
      break;
    }
    const settled = await Promise.race([...running.values()].map((e) => e.outcome));
    running.delete(settled.w.fromMs);
    publish();
    const w = settled.w;
    if ('result' in settled) {
      const r = settled.result;
      markDone(w);
      progress.documents += r.rows;
      progress.shrinks = (progress.shrinks ?? 0) + (r.shrinks ?? 0);
      progress.windowsDone++;
      progress.lastError = null;
      progress.windowHours = Math.min(deps.settings().limits.windowHours, progress.windowHours * 2);
      if (r.throttled) await deps.onThrottle(r.throttled);
      else deps.onClean();
      await deps.setState(r.finishedAtMs);
      continue;
    }
    const failure = describeFailure(settled.error, Date.now());
    if (!failure.retryable) await deps.fail(failure);
    progress.lastError = failure.info;
    if (failure.info.type === PendoErrorType.RateLimited) await deps.onThrottle(1);
    const halves = failure.splittable ? splitWindow(w) : null;
    if (!halves) {
      // The others finish; this window is tried again on the next step.
      halted = true;
      continue;
    }
    log.info('splitting window', { from: w.fromMs, to: w.toMs, cause: failure.info.type });
    retry.unshift(...halves);
    progress.windowsSplit++;
    progress.windowHours = Math.max(1, (halves[0].toMs - halves[0].fromMs) / HOUR);
    await deps.setState();
  }
  return !halted;
}
