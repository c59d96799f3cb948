import type { LateDataSettings } from './types';
import { HOUR } from '../common/time';

export { HOUR };

export interface Window {
  fromMs: number;
  toMs: number;
}

export function floorHour(ms: number): number {
  return ms - (((ms % HOUR) + HOUR) % HOUR);
}

/**
 * The end (exclusive) of the hours that may be read now: an hour is read once it has closed and
 * the processing delay (or, in settledOnly mode, the settle delay) has passed.
 */
export function captureHorizon(nowMs: number, late: LateDataSettings): number {
  return floorHour(nowMs - horizonDelayMs(late));
}

/** How long after an hour closes it may be read. */
function horizonDelayMs(late: LateDataSettings): number {
  return late.mode === 'settledOnly' ? late.settleDelayMs : late.processingDelayMs;
}

/** The next window after `cursor`, at most `windowHours` long and never past the horizon. */
export function nextWindow(cursor: number, horizon: number, windowHours: number): Window | null {
  if (cursor >= horizon) return null;
  return { fromMs: cursor, toMs: Math.min(horizon, cursor + Math.max(1, windowHours) * HOUR) };
}

/** Halves a window on an hour boundary; a single hour cannot be split. */
export function splitWindow(w: Window): [Window, Window] | null {
  const hours = (w.toMs - w.fromMs) / HOUR;
  if (hours < 2) return null;
  const mid = w.fromMs + Math.floor(hours / 2) * HOUR;
  return [
    { fromMs: w.fromMs, toMs: mid },
    { fromMs: mid, toMs: w.toMs },
  ];
}

/** The hours already captured that are still young enough to be read again for late data. */
export function rescanRange(startMs: number, cursor: number, rescanWindowMs: number): Window | null {
  const fromMs = Math.max(floorHour(startMs), floorHour(cursor - rescanWindowMs));
  return fromMs < cursor ? { fromMs, toMs: cursor } : null;
}

/** Cuts a range into consecutive windows of at most `windowHours`. */
export function windowsOf(range: Window, windowHours: number): Window[] {
  const out: Window[] = [];
  for (let w = nextWindow(range.fromMs, range.toMs, windowHours); w; w = nextWindow(w.toMs, range.toMs, windowHours)) {
    out.push(w);
  }
  return out;
}

/** Backfill progress in percent, from the start hour to the horizon. */
export function backfillPercent(startHour: number, cursor: number, horizon: number): number {
  if (horizon <= startHour || cursor >= horizon) return 100;
  return Math.max(0, Math.min(100, Math.floor(((cursor - startHour) / (horizon - startHour)) * 1000) / 10));
}

/**
 * How long an event binding that has read up to the horizon may sleep before its next poll: until the horizon
 * moves or a rescan falls due, for a poll before then can find nothing to read; never less than the interval.
 */
export function idleWaitMs(
  at: { cursorMs: number; rescanFromMs?: number | null; lastRescanAtMs: number },
  settings: { intervalMs: number; lateData: LateDataSettings },
  nowMs: number,
): number {
  const late = settings.lateData;
  if (at.cursorMs < captureHorizon(nowMs, late) || at.rescanFromMs != null) return settings.intervalMs;
  let dueMs = captureHorizon(nowMs, late) + HOUR + horizonDelayMs(late);
  if (late.mode === 'rescan' && late.rescanWindowMs > 0)
    dueMs = Math.min(dueMs, at.lastRescanAtMs + late.rescanEveryMs);
  return Math.max(settings.intervalMs, dueMs - nowMs);
}
