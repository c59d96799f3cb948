/** Late-event injection for tests: update rows of a past hour and add new ones, visible at once. */
import { bucketFloor } from '../aggregation/time-series';
import type { Dataset } from './generator';
import type { AggPlan } from './events';
import { aggKey, rawKey } from './late-model';
import { rawRow } from './raw-events';
import { Rng, at } from './random';
import type { GuidePoll } from './guides';
import { HOUR, isAggSource, type EventSourceName } from './world';

export interface InjectionResult {
  updatedKeys: Record<string, unknown>[];
  addedKeys: Record<string, unknown>[];
}

/** A remote IP no generated row uses (100.64.0.0/10), so an injected key is always new. */
function injectedIp(n: number): string {
  return `100.${64 + ((n >>> 16) & 63)}.${(n >>> 8) & 255}.${n & 255}`;
}

function timesBetween(rng: Rng, lo: number, hi: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(lo + rng.int(Math.max(1, hi - lo + 1)));
  return out.sort((a, b) => a - b);
}

/**
 * Injects `count` late changes into the hour containing `hourMs`: for aggregates, up to `count` visible rows get
 * more events (numEvents, numMinutes, lastTime change) and at least one new row appears; for guide and poll events,
 * `count` new raw events appear.
 */
export function injectLateEvents(
  ds: Dataset,
  source: EventSourceName,
  hourMs: number,
  count: number,
  now: number,
): InjectionResult {
  const hourStart = bucketFloor('hourRange', ds.opts.timezone, hourMs);
  if (!ds.hourExists(hourStart, now))
    throw new Error(`hour ${hourStart} has no data (before dataStartMs or in the future)`);
  const rng = Rng.of(ds.opts.seed, 'inject', ++ds.injectedCount, hourStart);
  ds.windowCache.invalidate(source, hourStart);
  const limit = Math.min(hourStart + HOUR - 1, now);
  const inj = ds.injection(source, hourStart);
  const { visitors } = ds.world.people;
  const result: InjectionResult = { updatedKeys: [], addedKeys: [] };
  if (isAggSource(source)) {
    const visible = Array.from(ds.visibleAggHour(source, hourStart, now));
    const picks = Math.min(count, visible.length);
    for (let i = 0; i < picks; i++) {
      const [plan, stats] = at(visible, Math.floor((i * visible.length) / picks));
      const times = stats.lastTime < limit ? timesBetween(rng, stats.lastTime + 1, limit, rng.between(1, 3)) : [limit];
      inj.extra.set(plan.index, [...(inj.extra.get(plan.index) ?? []), { times, visibleAt: now }]);
      result.updatedKeys.push(aggKey(source, plan, 'hour', hourStart));
    }
    const { slots } = ds.world.entitySlots[source];
    for (let i = 0; i < Math.max(1, Math.ceil(count / 3)); i++) {
      const n = ++ds.injectedCount;
      const slot = rng.pick(slots);
      const visitor = rng.pick(visitors);
      const times = timesBetween(rng, hourStart, limit, rng.between(1, 4));
      const plan: AggPlan = {
        index: -n,
        appId: slot.entity.appId,
        entityId: slot.entity.id,
        visitorId: visitor.id,
        accountId: visitor.accountId,
        remoteIp: injectedIp(n),
        server: slot.app.server,
        userAgent: slot.app.server.startsWith('m.') ? visitor.mobileAgent : visitor.webAgent,
        ...(source === 'trackEvents' ? { properties: { injected: 'true' } } : {}),
        times,
        lateFrom: times.length,
        visibleAt: now,
        lateVisibleAt: now,
      };
      inj.addedAgg.push(plan);
      result.addedKeys.push(aggKey(source, plan, 'hour', hourStart));
    }
    return result;
  }
  const slots = source === 'guideEvents' ? ds.world.guideSlots : ds.world.pollSlots;
  for (let i = 0; i < Math.max(1, count); i++) {
    const n = ++ds.injectedCount;
    const slot = rng.pick(slots);
    const row = rawRow(source, slot, rng.pick(visitors), {
      browserTime: hourStart + rng.int(limit - hourStart + 1),
      type: source === 'guideEvents' ? 'guideSeen' : 'pollResponse',
      url: `${slot.url}?late=${n}`,
      loadTime: source === 'guideEvents' ? rng.between(40, 2500) : 0,
      response: source === 'pollEvents' ? lateResponse(slot.poll) : undefined,
    });
    inj.addedRaw.push({ index: -n, row, visibleAt: now });
    result.addedKeys.push(rawKey(row));
  }
  return result;
}

function lateResponse(poll: GuidePoll | undefined): string {
  if (poll?.attributes.type === 'NPSRating') return '10';
  return Object.keys(poll?.idResponses ?? {})[0] ?? 'Answered late';
}
