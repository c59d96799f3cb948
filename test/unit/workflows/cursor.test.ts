import type { LateDataSettings } from '../../../src/workflows/capture/types';
import {
  backfillPercent,
  captureHorizon,
  floorHour,
  HOUR,
  idleWaitMs,
  nextWindow,
  rescanRange,
  splitWindow,
  windowsOf,
} from '../../../src/workflows/capture/cursor';

const T = Date.parse('2026-11-24T10:00:00Z');
const late = (over: Partial<LateDataSettings> = {}): LateDataSettings => ({
  mode: 'rescan',
  processingDelayMs: 15 * 60_000,
  rescanWindowMs: 24 * HOUR,
  rescanEveryMs: HOUR,
  settleDelayMs: 8 * HOUR,
  ...over,
});

describe('cursor arithmetic', () => {
  it('floors to the hour, also before 1970', () => {
    expect(floorHour(T + 59 * 60_000)).toBe(T);
    expect(floorHour(-1)).toBe(-HOUR);
  });

  it('opens an hour once it has closed and the processing delay has passed', () => {
    expect(captureHorizon(T + 14 * 60_000, late())).toBe(T - HOUR); // 10:14: 09:00 not yet readable
    expect(captureHorizon(T + 15 * 60_000, late())).toBe(T); // 10:15: 09:00 readable
  });

  it('in settledOnly mode waits for the settle delay instead', () => {
    expect(captureHorizon(T, late({ mode: 'settledOnly' }))).toBe(T - 8 * HOUR);
  });

  it('cuts windows at the horizon and at the window size', () => {
    expect(nextWindow(T - 30 * HOUR, T, 24)).toEqual({ fromMs: T - 30 * HOUR, toMs: T - 6 * HOUR });
    expect(nextWindow(T - 2 * HOUR, T, 24)).toEqual({ fromMs: T - 2 * HOUR, toMs: T });
    expect(nextWindow(T, T, 24)).toBeNull();
    expect(windowsOf({ fromMs: T, toMs: T + 5 * HOUR }, 2).map((w) => (w.toMs - w.fromMs) / HOUR)).toEqual([2, 2, 1]);
  });

  it('splits a window in two on an hour boundary, and never a single hour', () => {
    expect(splitWindow({ fromMs: T, toMs: T + 5 * HOUR })).toEqual([
      { fromMs: T, toMs: T + 2 * HOUR },
      { fromMs: T + 2 * HOUR, toMs: T + 5 * HOUR },
    ]);
    expect(splitWindow({ fromMs: T, toMs: T + HOUR })).toBeNull();
  });

  it('rescans the captured hours inside the rescan window, never before the start date', () => {
    expect(rescanRange(T - 100 * HOUR, T, 24 * HOUR)).toEqual({ fromMs: T - 24 * HOUR, toMs: T });
    expect(rescanRange(T - 3 * HOUR + 1, T, 24 * HOUR)).toEqual({ fromMs: T - 3 * HOUR, toMs: T });
    expect(rescanRange(T, T, 24 * HOUR)).toBeNull();
  });

  it('reports backfill progress from the start hour to the horizon', () => {
    expect(backfillPercent(T - 10 * HOUR, T - 7 * HOUR, T)).toBe(30);
    expect(backfillPercent(T - 10 * HOUR, T, T)).toBe(100);
  });
});

const H = HOUR;

describe('idleWaitMs', () => {
  const T0 = Date.parse('2026-11-24T10:20:00Z');
  const late: LateDataSettings = {
    mode: 'rescan',
    processingDelayMs: 15 * 60_000,
    rescanWindowMs: 0,
    rescanEveryMs: H,
    settleDelayMs: 0,
  };
  const settings = { intervalMs: 30_000, lateData: late } as const;
  const caughtUp = { cursorMs: Date.parse('2026-11-24T10:00:00Z'), rescanFromMs: null, lastRescanAtMs: T0 };

  it('issue 13: a caught-up binding sleeps until the next hour closes and its processing delay passes', () => {
    expect(idleWaitMs(caughtUp, settings, T0)).toBe(Date.parse('2026-11-24T11:15:00Z') - T0);
  });

  it('issue 13: a binding behind the horizon, or mid-rescan, polls at its interval', () => {
    expect(idleWaitMs({ ...caughtUp, cursorMs: caughtUp.cursorMs - H }, settings, T0)).toBe(30_000);
    expect(idleWaitMs({ ...caughtUp, rescanFromMs: caughtUp.cursorMs - H }, settings, T0)).toBe(30_000);
  });

  it('issue 13: a rescan due sooner wakes it sooner, and no wait is shorter than the interval', () => {
    const rescanning = { ...settings, lateData: { ...late, rescanWindowMs: 24 * H } };
    expect(idleWaitMs({ ...caughtUp, lastRescanAtMs: T0 - 50 * 60_000 }, rescanning, T0)).toBe(10 * 60_000);
    expect(idleWaitMs({ ...caughtUp, lastRescanAtMs: T0 - H }, rescanning, T0)).toBe(30_000);
  });

  it('issue 13: in settledOnly mode it waits for the settle delay', () => {
    const settled = { ...settings, lateData: { ...late, mode: 'settledOnly', settleDelayMs: 8 * H } } as const;
    const at = { ...caughtUp, cursorMs: Date.parse('2026-11-24T02:00:00Z') };
    expect(idleWaitMs(at, settled, T0)).toBe(Date.parse('2026-11-24T11:00:00Z') - T0);
  });
});
