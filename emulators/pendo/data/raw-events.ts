/** Per-event plans of raw guide and poll events. */
import type { GenConfig, HourShape } from './shape';
import { Permutation, Rng, at, hash32 } from './random';
import type { StepSlot, World, RawSource } from './world';
import { HOUR } from './world';

export type RawRow = Record<string, unknown> & { browserTime: number };

export interface RawPlan {
  /** Generation index within the hour; negative for injected events. */
  index: number;
  row: RawRow;
  /** null: visible once it happened; otherwise the instant it becomes visible. */
  visibleAt: number | null;
}

/** Weighted guide event types; duplicates differ by url variant, so keys stay unique. */
const GUIDE_TYPES = [
  ...Array<string>(6).fill('guideSeen'),
  ...Array<string>(3).fill('guideAdvanced'),
  ...Array<string>(2).fill('guideDismissed'),
  'guideActivity',
  'guideSnoozed',
  'guideTimeout',
  'guideSnoozeCanceled',
  'guideNotSeen',
];
const FREE_TEXT = [
  'Love the new dashboards',
  'Exports are slow on big reports',
  'Please add SSO for the mobile app',
  'Support was great',
  'Too many clicks to share a report',
];

export interface RawHourKeys {
  perm: Permutation;
  slots: StepSlot[];
  /** Guide events: GUIDE_TYPES; poll events: just pollResponse. */
  types: string[];
}

export function rawHourKeys(world: World, source: RawSource, hourStart: number, shape: HourShape): RawHourKeys {
  const slots = source === 'guideEvents' ? world.guideSlots : world.pollSlots;
  const types = source === 'guideEvents' ? GUIDE_TYPES : ['pollResponse'];
  const base = slots.length * types.length * world.people.visitors.length;
  const variants = Math.max(1, Math.ceil(shape.total / base));
  return { perm: new Permutation(base * variants, hash32(world.seed, 'keys', source, hourStart)), slots, types };
}

function pollResponse(rng: Rng, slot: StepSlot): string {
  const poll = slot.poll;
  const type = poll?.attributes.type;
  if (type === 'NPSRating') return String(rng.chance(0.6) ? rng.between(8, 10) : rng.between(0, 7));
  if (type === 'PickList' && poll) return rng.pick(Object.keys(poll.idResponses));
  return rng.pick(FREE_TEXT);
}

/** Builds a raw event row in the field order of the real API. */
export function rawRow(
  source: RawSource,
  slot: StepSlot,
  visitor: World['people']['visitors'][number],
  fields: { browserTime: number; type: string; url: string; loadTime: number; response?: string },
): RawRow {
  const common = {
    accountId: visitor.accountId,
    accountIds: visitor.accountId ? [visitor.accountId] : [],
    appId: slot.app.id,
    browserTime: fields.browserTime,
    country: visitor.country,
    guideId: slot.guide.id,
    guideStepId: slot.step.id,
    guideTimestamp: fields.browserTime,
    latitude: visitor.latitude,
    loadTime: fields.loadTime,
    longitude: visitor.longitude,
  };
  const agent = slot.app.server.startsWith('m.') ? visitor.mobileAgent : visitor.webAgent;
  const tail = { remoteIp: visitor.remoteIp, serverName: slot.app.server, type: fields.type };
  if (source === 'pollEvents') {
    return {
      ...common,
      pollId: slot.poll?.id ?? '',
      pollResponse: fields.response ?? '',
      region: visitor.region,
      ...tail,
      url: fields.url,
      userAgent: agent,
      visitorId: visitor.id,
    };
  }
  return { ...common, region: visitor.region, ...tail, url: fields.url, userAgent: agent, visitorId: visitor.id };
}

/** Plans event `index` of an hour; a pure function of (config, source, hour, index). */
export function planRawEvent(
  cfg: GenConfig,
  world: World,
  source: RawSource,
  hourStart: number,
  shape: HourShape,
  keys: RawHourKeys,
  index: number,
): RawPlan {
  const rng = Rng.of(cfg.seed, 'raw', source, hourStart, index);
  const visitors = world.people.visitors;
  const j = keys.perm.map(index);
  const cell = j % (keys.slots.length * keys.types.length);
  const slot = at(keys.slots, cell % keys.slots.length);
  const typeIndex = Math.floor(cell / keys.slots.length);
  const rest = Math.floor(j / (keys.slots.length * keys.types.length));
  const visitor = at(visitors, rest % visitors.length);
  const variant = Math.floor(rest / visitors.length) * keys.types.length + typeIndex;
  const browserTime = index >= shape.normal ? shape.hotTime : hourStart + rng.int(HOUR);
  const hourEnd = hourStart + HOUR;
  const late = rng.chance(cfg.lateFraction);
  return {
    index,
    row: rawRow(source, slot, visitor, {
      browserTime,
      type: at(keys.types, typeIndex),
      url: variant === 0 ? slot.url : `${slot.url}?ref=${variant}`,
      loadTime: source === 'pollEvents' ? 0 : rng.between(40, 2500),
      response: source === 'pollEvents' ? pollResponse(rng, slot) : undefined,
    }),
    visibleAt: late
      ? hourEnd + rng.between(...cfg.lateDelayMs)
      : cfg.showCurrentHour
        ? null
        : hourEnd + rng.between(...cfg.processingDelayMs),
  };
}
