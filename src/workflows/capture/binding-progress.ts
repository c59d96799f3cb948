import type { CommittedCursor } from './activity-types';
import type { BindingOutcome, BindingSpec, BindingState, BindingStatus, CaptureSettings, ErrorInfo } from './types';
import { RESOURCE_KINDS } from '../../resources';
import { backfillPercent, captureHorizon, floorHour, type Window } from './cursor';

/** What a binding carries across continue-as-new: cursors and counters only. */
export interface BindingProgress {
  /** Events: the first hour not yet captured. */
  cursorMs: number;
  documents: number;
  windowsDone: number;
  windowsSplit: number;
  /** Hours per window now; shrinks when a window is split and grows back on success. */
  windowHours: number;
  rescans: number;
  /** Confirmed sharp shrinks; absent in progress carried from before it was counted. */
  shrinks?: number;
  /** A rescan under way: the first hour it has not read again yet. Absent (older runs) means none. */
  rescanFromMs?: number | null;
  lastRescanAtMs: number;
  lastPollAtMs: number | null;
  lastError: ErrorInfo | null;
  /** Windows read past `cursorMs` while an earlier one was still in flight; the cursor moves over them later. */
  doneAhead?: Window[];
  /** 429s met, and slow-downs a sibling's 429 caused. Absent in progress from before concurrent windows. */
  throttles?: number;
  slowDowns?: number;
}

/** What a binding knows only while it runs: the windows in flight and how many it may have. */
export interface LiveWindows {
  inFlight: readonly Window[];
  slots: number;
}

export function initialProgress(settings: CaptureSettings): BindingProgress {
  return {
    cursorMs: floorHour(settings.startMs),
    documents: 0,
    windowsDone: 0,
    windowsSplit: 0,
    windowHours: settings.limits.windowHours,
    rescans: 0,
    shrinks: 0,
    rescanFromMs: null,
    lastRescanAtMs: 0,
    lastPollAtMs: null,
    lastError: null,
  };
}

/** Moves the cursor for a new start date: an earlier start is backfilled, a later one skips ahead. */
export function applyStartChange(p: BindingProgress, oldStartMs: number, newStartMs: number): void {
  if (newStartMs < oldStartMs) p.cursorMs = Math.min(p.cursorMs, floorHour(newStartMs));
  else p.cursorMs = Math.max(p.cursorMs, floorHour(newStartMs));
}

/**
 * Moves a fresh binding's cursor to what its collection says is already complete, so a restarted capture goes
 * on where its data ends. Only a record that covers the start hour counts: an earlier start date is backfilled.
 */
export function resumeFrom(p: BindingProgress, settings: CaptureSettings, committed: CommittedCursor | null): void {
  const startHour = floorHour(settings.startMs);
  if (committed && committed.startMs <= startHour && committed.cursorMs > p.cursorMs) p.cursorMs = committed.cursorMs;
}

/** States after which a binding's workflow does nothing more. */
export const CLOSED_STATES: ReadonlySet<BindingState> = new Set<BindingState>(['stopped', 'failed', 'terminated']);

/** A binding's last known status, corrected by how its workflow closed. */
export function withOutcome(s: BindingStatus, o: BindingOutcome): BindingStatus {
  return { ...s, state: o.state, lastError: o.error ?? s.lastError };
}

export function bindingStatus(
  capture: string,
  binding: BindingSpec,
  settings: CaptureSettings,
  p: BindingProgress,
  state: BindingState,
  nowMs: number,
  live?: LiveWindows,
): BindingStatus {
  // Snapshot and incremental resources read to the present each poll: they have no hour cursor or backfill.
  const kind = RESOURCE_KINDS[binding.resource];
  const isEvents = kind === 'aggregatedEvents' || kind === 'rawEvents';
  const horizon = captureHorizon(nowMs, settings.lateData);
  const startHour = floorHour(settings.startMs);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const lagFrom = isEvents ? p.cursorMs : p.lastPollAtMs;
  return {
    capture,
    resource: binding.resource,
    target: binding.target,
    state,
    cursor: isEvents ? iso(p.cursorMs) : iso(p.lastPollAtMs),
    backfill: isEvents
      ? {
          fromIso: new Date(startHour).toISOString(),
          toIso: new Date(Math.max(horizon, startHour)).toISOString(),
          percent: backfillPercent(startHour, p.cursorMs, horizon),
          windowsDone: p.windowsDone,
          windowsSplit: p.windowsSplit,
          ...(live ? { inFlight: live.inFlight.map((w) => `${iso(w.fromMs)}/${iso(w.toMs)}`), slots: live.slots } : {}),
        }
      : null,
    documents: p.documents,
    lastPollAt: iso(p.lastPollAtMs),
    lastError: p.lastError,
    lagSeconds: lagFrom === null ? null : Math.max(0, Math.round((nowMs - lagFrom) / 1000)),
    rescans: p.rescans,
    shrinks: p.shrinks ?? 0,
    ...(p.throttles ? { throttles: p.throttles } : {}),
    ...(p.slowDowns ? { slowDowns: p.slowDowns } : {}),
    ...(isEvents && settings.lateData.mode === 'settledOnly'
      ? { settleDelaySeconds: Math.round(settings.lateData.settleDelayMs / 1000) }
      : {}),
  };
}
