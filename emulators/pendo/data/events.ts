/** Per-row plans of aggregated page, feature and track events: keys, event times and visibility. */
import type { GenConfig, HourShape } from './shape';
import { Permutation, Rng, at, hash32 } from './random';
import type { Visitor } from './people';
import { HOUR, type AggSource, type EntitySlot, type World } from './world';

/** The events behind one aggregate row, and when they become visible through the API. */
export interface AggPlan {
  /** Generation index within the hour; negative for injected rows. */
  index: number;
  appId: number;
  entityId: string;
  visitorId: string;
  accountId: string;
  remoteIp: string;
  server: string;
  userAgent: string;
  parameters?: string;
  properties?: Record<string, string>;
  /** Sorted event times, all inside the hour. */
  times: number[];
  /** times[lateFrom..] arrive late, at lateVisibleAt. */
  lateFrom: number;
  /** When the on-time events become visible; null means as they happen (in-progress hour shown). */
  visibleAt: number | null;
  lateVisibleAt: number;
}

/** A distinct remote IP per key variant; variant 0 is the visitor's usual address. */
export function variantIp(visitor: Visitor, variant: number): string {
  if (variant === 0) return visitor.remoteIp;
  return `10.${(variant >>> 16) & 255}.${(variant >>> 8) & 255}.${variant & 255}`;
}

export interface HourKeys {
  perm: Permutation;
  slots: EntitySlot[];
  copies: number;
  visitors: Visitor[];
}

/** The key space of an hour: (entity slot × visitor × variant), walked by a keyed permutation. */
export function aggHourKeys(world: World, source: AggSource, hourStart: number, shape: HourShape): HourKeys {
  const { slots, copies } = world.entitySlots[source];
  const visitors = world.people.visitors;
  const base = slots.length * visitors.length;
  const variants = Math.max(1, Math.ceil(shape.total / base));
  return {
    perm: new Permutation(base * variants, hash32(world.seed, 'keys', source, hourStart)),
    slots,
    copies,
    visitors,
  };
}

function eventTimes(rng: Rng, hourStart: number, hotTime: number | undefined): number[] {
  const n = Math.min(30, 1 + Math.floor(-Math.log(1 - rng.next()) * 2.5));
  let first: number;
  let last: number;
  if (hotTime !== undefined) {
    last = hotTime;
    first = n > 1 ? hourStart + rng.int(hotTime - hourStart + 1) : hotTime;
  } else {
    first = hourStart + rng.int(HOUR);
    last = n > 1 ? first + rng.int(hourStart + HOUR - first) : first;
  }
  const times = [first];
  for (let i = 1; i < n - 1; i++) times.push(first + rng.int(last - first + 1));
  if (n > 1) times.push(last);
  return times.sort((a, b) => a - b);
}

function extras(rng: Rng, source: AggSource, entityName: string): Pick<AggPlan, 'parameters' | 'properties'> {
  if (source === 'trackEvents') {
    return entityName === 'Report Exported'
      ? { properties: { format: rng.pick(['csv', 'pdf', 'xlsx']), rows: String(rng.between(1, 5000)) } }
      : {
          properties: {
            campaign: rng.pick(['spring-promo', 'onboarding-day-3', 'renewal']),
            platform: rng.pick(['ios', 'android']),
          },
        };
  }
  if (rng.chance(0.3)) {
    return { parameters: JSON.stringify({ tab: rng.pick(['overview', 'usage', 'history']), page: rng.between(1, 9) }) };
  }
  return {};
}

/** Plans row `index` of an hour; a pure function of (config, source, hour, index). */
export function planAggRow(
  cfg: GenConfig,
  source: AggSource,
  hourStart: number,
  shape: HourShape,
  keys: HourKeys,
  index: number,
): AggPlan {
  const rng = Rng.of(cfg.seed, 'row', source, hourStart, index);
  const j = keys.perm.map(index);
  const slot = at(keys.slots, j % keys.slots.length);
  const rest = Math.floor(j / keys.slots.length);
  const visitor = at(keys.visitors, rest % keys.visitors.length);
  const variant = Math.floor(rest / keys.visitors.length) * keys.copies + slot.copy;
  const hot = index >= shape.normal;
  const times = eventTimes(rng, hourStart, hot ? shape.hotTime : undefined);
  const hourEnd = hourStart + HOUR;
  let lateFrom = times.length;
  if (rng.chance(cfg.lateFraction))
    lateFrom = times.length > 1 && !hot && rng.chance(0.5) ? rng.between(1, times.length - 1) : 0;
  const mobile = slot.app.server.startsWith('m.');
  return {
    index,
    appId: slot.entity.appId,
    entityId: slot.entity.id,
    visitorId: visitor.id,
    accountId: visitor.accountId,
    remoteIp: variantIp(visitor, variant),
    server: slot.app.server,
    userAgent: mobile ? visitor.mobileAgent : visitor.webAgent,
    ...extras(rng, source, String(slot.entity.name ?? '')),
    times,
    lateFrom,
    visibleAt: cfg.showCurrentHour ? null : hourEnd + rng.between(...cfg.processingDelayMs),
    lateVisibleAt: hourEnd + rng.between(...cfg.lateDelayMs),
  };
}
