import type { BindingStatus, CaptureSettings } from '../../../src/workflows/capture/types';
import { bindingStatus, initialProgress } from '../../../src/workflows/capture/binding-progress';
import { captureHorizon } from '../../../src/workflows/capture/cursor';

/** The status of a PageEvents binding whose cursor is at the horizon, or halfway there. */
export function bindingProgressStatus(
  settings: CaptureSettings,
  nowMs: number,
  where: 'caughtUp' | 'halfway',
): BindingStatus {
  const p = initialProgress(settings);
  const horizon = captureHorizon(nowMs, settings.lateData);
  p.cursorMs = where === 'caughtUp' ? horizon : p.cursorMs + Math.floor((horizon - p.cursorMs) / 7_200_000) * 3_600_000;
  p.lastPollAtMs = nowMs;
  return bindingStatus('c', { resource: 'PageEvents', target: 'c/PageEvents' }, settings, p, 'idle', nowMs);
}
