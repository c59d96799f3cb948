import { hourShape, type GenConfig } from '../../emulators/pendo/data/shape';
import { floorHour, HOUR } from '../../src/workflows/capture/cursor';

/** The emulator's seed and time zone; the benchmarks pass both to the emulator so the plans below hold. */
export const SEED = 1;
export const TIMEZONE = 'America/New_York';
/** The integration key the benchmark's emulators accept, and the variable workers and the raw loop read it from. */
export const BENCH_KEY = '0b3c9d1e-7a52-4f18-b6c4-5e2d8f9a1c07.us';
export const KEY_ENV = 'PENDO_BENCH_KEY';
/** The emulator serves events from 7 days before it started; stay clear of that edge. */
const MAX_HOURS_BACK = 7 * 24 - 2;

function genConfig(volume: number): GenConfig {
  return {
    seed: SEED,
    volume,
    lateFraction: 0,
    lateDelayMs: [0, 0],
    processingDelayMs: [0, 0],
    showCurrentHour: true,
    timezone: TIMEZONE,
  };
}

/** PageEvents rows of one hour at a volume: every planned row is visible once the hour has passed. */
export function pageEventRows(volume: number, hourMs: number): number {
  return hourShape(genConfig(volume), 'pageEvents', hourMs).total;
}

/**
 * A capture horizon that stays put for 30 minutes, so a benchmark never gains an hour mid-run:
 * with this processing delay, hours up to (but excluding) `horizonMs` are readable, and no later one.
 */
export function stableHorizon(nowMs = Date.now()): { horizonMs: number; processingDelayMs: number } {
  return { horizonMs: floorHour(nowMs) - HOUR, processingDelayMs: nowMs - floorHour(nowMs) + HOUR / 2 };
}

/** The latest start hour whose range up to the horizon holds at least `rows` PageEvents rows (or the oldest hour). */
export function startForRows(volume: number, horizonMs: number, rows: number): { startMs: number; rows: number } {
  let total = 0;
  let startMs = horizonMs;
  while (total < rows && startMs > horizonMs - MAX_HOURS_BACK * HOUR) {
    startMs -= HOUR;
    total += pageEventRows(volume, startMs);
  }
  return { startMs, rows: total };
}

/** The volume at which one hour holds about `rows` PageEvents rows (the largest volume not above it). */
export function volumeForHour(hourMs: number, rows: number): { volume: number; rows: number } {
  let lo = 0;
  let hi = 1;
  while (pageEventRows(hi, hourMs) < rows) hi *= 2;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (pageEventRows(mid, hourMs) <= rows) lo = mid;
    else hi = mid;
  }
  return { volume: lo, rows: pageEventRows(lo, hourMs) };
}
