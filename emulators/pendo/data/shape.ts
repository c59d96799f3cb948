/** How many rows an hour holds per source, and where its hot spot (one shared timestamp) is. */
import { tzOffsetMs } from '../aggregation/timezone';
import type { HotSpots } from './people-rows';
import { Rng, hash32 } from './random';
import { HOUR, type EventSourceName } from './world';

export interface GenConfig {
  seed: number;
  /** Multiplier of rows per hour per source. */
  volume: number;
  lateFraction: number;
  lateDelayMs: readonly [number, number];
  processingDelayMs: readonly [number, number];
  showCurrentHour: boolean;
  timezone: string;
  /** `realistic` (default): a dozen or so event rows share a hot spot's millisecond; `stress`: more than 1000. */
  hotSpots?: HotSpots;
}

/** Average rows per hour per source at volume 1, before the time-of-day curve. */
export const BASE_ROWS_PER_HOUR: Record<EventSourceName, number> = {
  pageEvents: 40,
  featureEvents: 30,
  trackEvents: 10,
  guideEvents: 20,
  pollEvents: 6,
};

/** Every 12-hour UTC block holds one hot hour per source, so any 24 h window contains one. */
const HOT_BLOCK = 12 * HOUR;

export interface HourShape {
  /** Ordinary rows, indexes [0, normal). */
  normal: number;
  /** Rows sharing hotTime, indexes [normal, total). */
  hot: number;
  hotTime: number;
  total: number;
}

/**
 * Rows of a hot spot, growing with the square root of volume. `stress` keeps more than 1000, more than any page
 * limit a test uses; `realistic` ties about a dozen rows at one millisecond, as a batch of server-side events would.
 */
export function hotSpotSize(volume: number, mode: HotSpots = 'realistic'): number {
  if (!(volume > 0)) return 0;
  if (mode === 'stress') return Math.max(1001, Math.round(1200 * Math.sqrt(volume)));
  return Math.max(2, Math.round(12 * Math.sqrt(volume)));
}

/** Busier in the local afternoon, quieter at night; averages a little under 1. */
function timeOfDayFactor(timezone: string, hourStart: number): number {
  const localHour = Math.floor((hourStart + tzOffsetMs(timezone, hourStart)) / HOUR);
  const h = ((localHour % 24) + 24) % 24;
  return 0.35 + 1.3 * Math.exp(-((h - 14) ** 2) / 32);
}

export function isHotHour(seed: number, source: EventSourceName, hourStart: number): boolean {
  const block = Math.floor(hourStart / HOT_BLOCK);
  const hotIndex = hash32(seed, 'hot', source, block) % 12;
  return Math.floor((hourStart - block * HOT_BLOCK) / HOUR) === hotIndex;
}

/** The shape of one hour; a pure function of (config, source, hourStart). */
export function hourShape(cfg: GenConfig, source: EventSourceName, hourStart: number): HourShape {
  const rng = Rng.of(cfg.seed, 'shape', source, hourStart);
  const mean = BASE_ROWS_PER_HOUR[source] * cfg.volume * timeOfDayFactor(cfg.timezone, hourStart);
  const normal = rng.roundStochastic(mean * (0.8 + 0.4 * rng.next()));
  const hot = isHotHour(cfg.seed, source, hourStart) ? hotSpotSize(cfg.volume, cfg.hotSpots) : 0;
  const hotTime = hourStart + 60_000 * rng.between(5, 54) + rng.int(60_000);
  return { normal, hot, hotTime, total: normal + hot };
}
