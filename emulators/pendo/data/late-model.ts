/**
 * What the API shows at a given instant: on-time events appear when their hour is processed (or as they happen
 * when the in-progress hour is shown), late events only after their delay, so served aggregates change in place.
 */
import type { AggPlan } from './events';
import type { RawPlan, RawRow } from './raw-events';
import { ENTITY_FIELD, type AggSource } from './world';

/** Extra events added to an existing row (late-event injection). */
export interface EventGroup {
  times: number[];
  visibleAt: number;
}

export interface AggStats {
  firstTime: number;
  lastTime: number;
  numEvents: number;
  numMinutes: number;
}

/** Folds the events of a plan visible at `now`; undefined when none is. */
export function visibleStats(
  plan: AggPlan,
  extra: readonly EventGroup[] | undefined,
  now: number,
): AggStats | undefined {
  let firstTime = Infinity;
  let lastTime = -Infinity;
  let numEvents = 0;
  const minutes = new Set<number>();
  const add = (t: number): void => {
    numEvents++;
    if (t < firstTime) firstTime = t;
    if (t > lastTime) lastTime = t;
    minutes.add(Math.floor(t / 60_000));
  };
  const onTime = plan.visibleAt === null || plan.visibleAt <= now;
  const lateShown = plan.lateVisibleAt <= now;
  plan.times.forEach((t, k) => {
    if (k >= plan.lateFrom ? lateShown : onTime && t <= now) add(t);
  });
  for (const group of extra ?? []) if (group.visibleAt <= now) group.times.forEach(add);
  if (numEvents === 0) return undefined;
  return { firstTime, lastTime, numEvents, numMinutes: minutes.size };
}

/** The grain of an aggregate row: unique per bucket. */
export function aggKey(source: AggSource, plan: AggPlan, bucketField: 'hour' | 'day', bucket: number) {
  return {
    appId: plan.appId,
    [ENTITY_FIELD[source]]: plan.entityId,
    visitorId: plan.visitorId,
    accountId: plan.accountId,
    remoteIp: plan.remoteIp,
    server: plan.server,
    userAgent: plan.userAgent,
    [bucketField]: bucket,
  } as Record<string, string | number>;
}

/** An aggregate row in the field order of the real API. */
export function aggRow(
  source: AggSource,
  plan: AggPlan,
  stats: AggStats,
  bucketField: 'hour' | 'day',
  bucket: number,
): Record<string, unknown> {
  const row: Record<string, unknown> = {
    accountId: plan.accountId,
    appId: plan.appId,
    [bucketField]: bucket,
    firstTime: stats.firstTime,
    lastTime: stats.lastTime,
    numEvents: stats.numEvents,
    numMinutes: stats.numMinutes,
  };
  if (source !== 'trackEvents') row[ENTITY_FIELD[source]] = plan.entityId;
  if (plan.parameters !== undefined) row.parameters = plan.parameters;
  if (plan.properties !== undefined) row.properties = { ...plan.properties };
  row.remoteIp = plan.remoteIp;
  row.server = plan.server;
  if (source === 'trackEvents') row.trackTypeId = plan.entityId;
  row.userAgent = plan.userAgent;
  row.visitorId = plan.visitorId;
  return row;
}

/** Merges the hourly stats of one key into its day row. */
export function mergeStats(into: AggStats, add: AggStats): void {
  into.firstTime = Math.min(into.firstTime, add.firstTime);
  into.lastTime = Math.max(into.lastTime, add.lastTime);
  into.numEvents += add.numEvents;
  into.numMinutes += add.numMinutes;
}

export function rawVisible(plan: RawPlan, now: number): boolean {
  return plan.visibleAt === null ? plan.row.browserTime <= now : plan.visibleAt <= now;
}

/** The unique key of a raw guide or poll event. */
export function rawKey(row: RawRow): Record<string, unknown> {
  const key: Record<string, unknown> = {
    guideId: row.guideId,
    guideStepId: row.guideStepId,
    visitorId: row.visitorId,
    accountId: row.accountId,
    type: row.type,
    browserTime: row.browserTime,
    url: row.url,
  };
  if ('pollId' in row) key.pollId = row.pollId;
  return key;
}
