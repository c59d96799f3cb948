/** Hour and day buckets in a subscription time zone (DST days have 23 or 25 hours). */
import { pipelineError } from './errors';
import { evaluateTimeExpression, type EvalEnv } from './expressions';
import { localTimeToUtc, tzOffsetMs, wallClock } from './timezone';

export type Period = 'hourRange' | 'dayRange';
export interface Bucket {
  start: number;
  end: number;
}

const HOUR = 3_600_000;

/** Start of the bucket containing t. */
export function bucketFloor(period: Period, timezone: string, t: number): number {
  if (period === 'hourRange') {
    const local = t + tzOffsetMs(timezone, t);
    return t - (((local % HOUR) + HOUR) % HOUR);
  }
  const w = wallClock(timezone, t);
  return localTimeToUtc(timezone, w.year, w.month, w.day);
}

/** Start of the bucket after the one starting at start. */
export function nextBucket(period: Period, timezone: string, start: number): number {
  if (period === 'hourRange') return start + HOUR;
  const w = wallClock(timezone, start + 12 * HOUR);
  return localTimeToUtc(timezone, w.year, w.month, w.day + 1);
}

/** Start of the bucket before the one starting at start. */
export function prevBucket(period: Period, timezone: string, start: number): number {
  return bucketFloor(period, timezone, start - 1);
}

export function bucketAt(period: Period, timezone: string, start: number): Bucket {
  return { start, end: nextBucket(period, timezone, start) };
}

export interface TimeSeriesEnv extends EvalEnv {
  maxBuckets?: number;
}

/** Expands a timeSeries object into its buckets: floor(first) through floor(last) inclusive, or ±count buckets. */
export function expandTimeSeries(raw: unknown, env: TimeSeriesEnv): { period: Period; buckets: Bucket[] } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw pipelineError('timeSeries must be an object');
  const spec = raw as Record<string, unknown>;
  const period = spec.period;
  if (period !== 'hourRange' && period !== 'dayRange') {
    throw pipelineError(`unsupported timeSeries period ${JSON.stringify(period)}`);
  }
  const tz = env.timezone;
  const max = env.maxBuckets ?? 200_000;
  const first = bucketFloor(period, tz, evaluateTimeExpression(spec.first, env, 'timeSeries.first'));
  const buckets: Bucket[] = [];
  const push = (start: number): void => {
    if (buckets.length >= max) throw pipelineError(`timeSeries spans more than ${max} buckets`);
    buckets.push(bucketAt(period, tz, start));
  };
  if (spec.last !== undefined && spec.last !== null) {
    const last = bucketFloor(period, tz, evaluateTimeExpression(spec.last, env, 'timeSeries.last'));
    for (let s = first; s <= last; s = nextBucket(period, tz, s)) push(s);
    return { period, buckets };
  }
  const count = typeof spec.count === 'string' ? Number(spec.count.trim()) : spec.count;
  if (typeof count !== 'number' || !Number.isInteger(count)) {
    throw pipelineError('timeSeries needs an integer count or a last');
  }
  if (count >= 0) {
    for (let i = 0, s = first; i < count; i++, s = nextBucket(period, tz, s)) push(s);
  } else {
    const back: number[] = [];
    for (let i = 0, s = first; i < -count; i++) back.push((s = prevBucket(period, tz, s)));
    for (const s of back.reverse()) push(s);
  }
  return { period, buckets };
}
