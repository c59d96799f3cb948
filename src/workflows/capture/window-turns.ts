import { log } from '@temporalio/workflow';
import { floorHour, HOUR, splitWindow, type Window, windowsOf } from './cursor';
import { describeFailure } from './failures';
import type { RangeDeps } from './window-range';

/**
 * Captures the windows of a range one at a time, in order, splitting a failing window; false when a step must be
 * retried later. This is how runs from before the `concurrent-windows` patch read a range, kept command for
 * command so their histories replay; `captureWindows` reads ranges of new runs.
 */
export async function captureWindowsInTurn(
  deps: RangeDeps,
  range: Window,
  limit: number,
  advance: 'cursor' | 'rescan',
): Promise<boolean> {
  const { progress } = deps;
  const queue = windowsOf(range, progress.windowHours);
  while (queue.length > 0 && !deps.stopping()) {
    const w = queue[0] as Window;
    try {
      const commitCursor = advance === 'cursor' ? { startMs: floorHour(deps.settings().startMs) } : undefined;
      const r = await deps.runWindow({ ...w, limit, commitCursor });
      queue.shift();
      progress.documents += r.rows;
      progress.shrinks = (progress.shrinks ?? 0) + (r.shrinks ?? 0);
      progress.windowsDone++;
      progress.lastError = null;
      progress.windowHours = Math.min(deps.settings().limits.windowHours, progress.windowHours * 2);
      if (advance === 'cursor') progress.cursorMs = Math.max(progress.cursorMs, w.toMs);
      else progress.rescanFromMs = w.toMs;
      await deps.setState(r.finishedAtMs);
    } catch (err) {
      const failure = describeFailure(err, Date.now());
      if (!failure.retryable) await deps.fail(failure);
      progress.lastError = failure.info;
      const halves = failure.splittable ? splitWindow(w) : null;
      if (!halves) return false;
      log.info('splitting window', { from: w.fromMs, to: w.toMs, cause: failure.info.type });
      queue.splice(0, 1, ...halves);
      progress.windowsSplit++;
      progress.windowHours = Math.max(1, (halves[0].toMs - halves[0].fromMs) / HOUR);
      await deps.setState();
    }
    await deps.continueAsNewIfFull();
  }
  return true;
}
