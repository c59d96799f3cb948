import { RESOURCE_KINDS, type ResourceName } from '../../resources';
import { DEFAULT_REQUEST_BUDGET } from './bounds';
import type { CaptureLimits } from './types';
import { nextWindow, type Window } from './cursor';

/**
 * Windows a binding may read at once: its `backfillConcurrency`, within its share of the capture's concurrent
 * requests. Each window holds one request at a time, and each snapshot binding one, so the capture's windows in
 * flight, over all its bindings and workers, stay within `concurrentRequests` (never below one per binding).
 */
export function windowSlots(limits: CaptureLimits, siblings: readonly ResourceName[]): number {
  const wanted = limits.backfillConcurrency ?? 1;
  const budget = limits.concurrentRequests ?? DEFAULT_REQUEST_BUDGET.concurrentRequests;
  const events = siblings.filter((r) => RESOURCE_KINDS[r] !== 'snapshot').length;
  const snapshots = siblings.length - events;
  const share = Math.floor((budget - snapshots) / Math.max(1, events));
  return Math.max(1, Math.min(wanted, share));
}

const byStart = (a: Window, b: Window) => a.fromMs - b.fromMs;

/**
 * Moves a prefix over the done windows that touch it. Returns the new prefix and the windows still beyond it,
 * in order; windows the prefix already covers are dropped.
 */
export function advancePrefix(prefix: number, done: readonly Window[]): { prefix: number; ahead: Window[] } {
  let at = prefix;
  const ahead: Window[] = [];
  for (const w of [...done].sort(byStart)) {
    if (w.toMs <= at) continue;
    if (w.fromMs <= at && ahead.length === 0) at = w.toMs;
    else ahead.push(w);
  }
  return { prefix: at, ahead };
}

/**
 * The next window to hand out from `frontier`: at most `windowHours`, never past `end`, never over a window that
 * is done or in flight (`taken`). Null when nothing is left.
 */
export function nextFreshWindow(
  frontier: number,
  end: number,
  windowHours: number,
  taken: readonly Window[],
): Window | null {
  const sorted = [...taken].sort(byStart);
  let from = frontier;
  for (const t of sorted) {
    if (t.toMs <= from) continue;
    if (t.fromMs <= from) from = t.toMs;
  }
  const w = nextWindow(from, end, windowHours);
  if (!w) return null;
  const blocker = sorted.find((t) => t.fromMs > w.fromMs && t.fromMs < w.toMs);
  return blocker ? { fromMs: w.fromMs, toMs: blocker.fromMs } : w;
}
