/** The emulator's dataset: seeded metadata plus events produced lazily, per hour, from (seed, hour). */
import type { Bucket, Period } from '../aggregation/time-series';
import type { EntitySource, RowProvider } from '../aggregation/pipeline';
import type { Row } from '../aggregation/expressions';
import { WindowCache, noteFlip, type Validity } from '../aggregation/window-cache';
import { DEFAULT_APP_ID } from './common';
import { aggHourKeys, planAggRow, type AggPlan } from './events';
import { aggKey, aggRow, mergeStats, rawVisible, visibleStats, type AggStats, type EventGroup } from './late-model';
import { MetadataStore, type MetaKind } from './metadata';
import { accountRow, allVisitors, visitorRow, type PeopleRowsOptions } from './people-rows';
import { generateSegments } from './segments';
import { planRawEvent, rawHourKeys, type RawPlan } from './raw-events';
import { hourShape, type GenConfig, type HourShape } from './shape';
import {
  HOUR,
  buildWorld,
  isAggSource,
  type AggSource,
  type EventSourceName,
  type RawSource,
  type World,
} from './world';

export interface DatasetOptions extends GenConfig {
  /** Events exist for hours starting at or after this instant. */
  dataStartMs: number;
  mutateEveryMs: number;
  /** When scheduled metadata changes start counting. */
  startMs: number;
  /** Rows of sorted event windows kept between pages (default 1,200,000; 0 turns the cache off). */
  windowCacheRows?: number;
  /** Visitors beyond the seeded ones (default 0). */
  extraVisitors?: number;
}

/** Injected late data of one (source, hour). */
export interface HourInjection {
  extra: Map<number, EventGroup[]>;
  addedAgg: AggPlan[];
  addedRaw: RawPlan[];
}

const ENTITY_KIND: Record<Exclude<EntitySource, 'accounts' | 'visitors'>, MetaKind> = {
  features: 'feature',
  pages: 'page',
  guides: 'guide',
  trackTypes: 'trackType',
};
/** Hours with more rows than this are generated on the fly instead of cached. */
const CACHE_HOUR_ROWS = 20_000;
const CACHE_TOTAL_ROWS = 400_000;
const SHAPE_CACHE = 50_000;

export class Dataset implements RowProvider {
  readonly defaultAppId = DEFAULT_APP_ID;
  readonly world: World;
  readonly metadata: MetadataStore;
  readonly injections = new Map<string, HourInjection>();
  /** Injected rows and events so far; makes their keys unique. */
  injectedCount = 0;
  private readonly plans = new Map<string, AggPlan[] | RawPlan[]>();
  private cachedRows = 0;
  private readonly shapes = new Map<string, HourShape>();
  readonly windowCache: WindowCache;
  readonly people: PeopleRowsOptions;

  constructor(readonly opts: DatasetOptions) {
    this.windowCache = new WindowCache(opts.windowCacheRows);
    this.world = buildWorld(opts.seed);
    const { catalog, guides, reports } = this.world;
    const protectedIds = new Set([...guides, ...catalog.trackTypes].map((o) => o.id));
    this.metadata = new MetadataStore(
      {
        seed: opts.seed,
        users: catalog.users,
        defaultAppId: DEFAULT_APP_ID,
        mutateEveryMs: opts.mutateEveryMs,
        startMs: opts.startMs,
        protectedIds,
      },
      {
        feature: catalog.features,
        page: catalog.pages,
        guide: guides,
        report: reports,
        trackType: catalog.trackTypes,
        segment: generateSegments(opts.seed, catalog.users),
      },
    );
    this.people = { seed: opts.seed, hotSpots: opts.hotSpots ?? 'realistic', extraVisitors: opts.extraVisitors ?? 0 };
  }

  shape(source: EventSourceName, hourStart: number): HourShape {
    const key = `${source}:${hourStart}`;
    let shape = this.shapes.get(key);
    if (!shape) {
      if (this.shapes.size >= SHAPE_CACHE) this.shapes.clear();
      shape = hourShape(this.opts, source, hourStart);
      this.shapes.set(key, shape);
    }
    return shape;
  }

  /** Whether an hour can hold data at `now`: on or after dataStartMs and not in the future. */
  hourExists(hourStart: number, now: number): boolean {
    return hourStart >= this.opts.dataStartMs && hourStart <= now;
  }

  injection(source: EventSourceName, hourStart: number): HourInjection {
    const key = `${source}:${hourStart}`;
    let inj = this.injections.get(key);
    if (!inj) {
      inj = { extra: new Map(), addedAgg: [], addedRaw: [] };
      this.injections.set(key, inj);
    }
    return inj;
  }

  /** The generated plans of an hour, from the cache when small enough, else produced one by one. */
  hourPlans(source: AggSource, hourStart: number): Iterable<AggPlan>;
  hourPlans(source: RawSource, hourStart: number): Iterable<RawPlan>;
  hourPlans(source: EventSourceName, hourStart: number): Iterable<AggPlan | RawPlan> {
    const key = `${source}:${hourStart}`;
    const cached = this.plans.get(key);
    if (cached) {
      this.plans.delete(key);
      this.plans.set(key, cached);
      return cached;
    }
    const shape = this.shape(source, hourStart);
    const gen = this.generate(source, hourStart, shape);
    if (shape.total > CACHE_HOUR_ROWS) return gen;
    const all = Array.from(gen) as AggPlan[] | RawPlan[];
    this.plans.set(key, all);
    this.cachedRows += all.length;
    for (const [oldKey, old] of this.plans) {
      if (this.cachedRows <= CACHE_TOTAL_ROWS) break;
      this.plans.delete(oldKey);
      this.cachedRows -= old.length;
    }
    return all;
  }

  private *generate(source: EventSourceName, hourStart: number, shape: HourShape): Iterable<AggPlan | RawPlan> {
    if (isAggSource(source)) {
      const keys = aggHourKeys(this.world, source, hourStart, shape);
      for (let i = 0; i < shape.total; i++) yield planAggRow(this.opts, source, hourStart, shape, keys, i);
    } else {
      const keys = rawHourKeys(this.world, source, hourStart, shape);
      for (let i = 0; i < shape.total; i++)
        yield planRawEvent(this.opts, this.world, source, hourStart, shape, keys, i);
    }
  }

  /** Hour bucket starts inside a bucket (one for hourRange, 23 to 25 for dayRange). */
  private hoursOf(bucket: Bucket): number[] {
    const hours: number[] = [];
    for (let h = bucket.start; h < bucket.end; h += HOUR) hours.push(h);
    return hours;
  }

  plannedRows(source: EventSourceName, bucket: Bucket): number {
    let n = 0;
    for (const h of this.hoursOf(bucket)) {
      if (h < this.opts.dataStartMs) continue;
      const inj = this.injections.get(`${source}:${h}`);
      n += this.shape(source, h).total + (inj ? inj.addedAgg.length + inj.addedRaw.length : 0);
    }
    return n;
  }

  /** Visible aggregate plans and stats of one hour, in generation order (injected rows last). */
  /**
   * Visible aggregate plans and stats of one hour, in generation order (injected rows last). With `validity`,
   * records every instant at which what is visible changes (see visibleStats and hourExists).
   */
  *visibleAggHour(
    source: AggSource,
    hourStart: number,
    now: number,
    validity?: Validity,
  ): Iterable<[AggPlan, AggStats]> {
    if (validity) noteFlip(validity, now, hourStart);
    if (!this.hourExists(hourStart, now)) return;
    const inj = this.injections.get(`${source}:${hourStart}`);
    const plans = inj ? [this.hourPlans(source, hourStart), inj.addedAgg] : [this.hourPlans(source, hourStart)];
    for (const list of plans) {
      for (const plan of list) {
        const extra = inj?.extra.get(plan.index);
        if (validity) aggFlips(validity, now, plan, extra);
        const stats = visibleStats(plan, extra, now);
        if (stats) yield [plan, stats];
      }
    }
  }

  *visibleRawHour(source: RawSource, hourStart: number, now: number, validity?: Validity): Iterable<RawPlan> {
    if (validity) noteFlip(validity, now, hourStart);
    if (!this.hourExists(hourStart, now)) return;
    const added = this.injections.get(`${source}:${hourStart}`)?.addedRaw ?? [];
    for (const list of [this.hourPlans(source, hourStart), added]) {
      for (const plan of list) {
        if (validity) noteFlip(validity, now, plan.visibleAt ?? plan.row.browserTime);
        if (rawVisible(plan, now)) yield plan;
      }
    }
  }

  *eventRows(source: EventSourceName, bucket: Bucket, period: Period, now: number, validity?: Validity): Iterable<Row> {
    if (!isAggSource(source)) {
      for (const h of this.hoursOf(bucket))
        for (const plan of this.visibleRawHour(source, h, now, validity)) yield plan.row;
      return;
    }
    if (period === 'hourRange') {
      for (const [plan, stats] of this.visibleAggHour(source, bucket.start, now, validity)) {
        yield aggRow(source, plan, stats, 'hour', bucket.start);
      }
      return;
    }
    const day = new Map<string, [AggPlan, AggStats]>();
    for (const h of this.hoursOf(bucket)) {
      for (const [plan, stats] of this.visibleAggHour(source, h, now, validity)) {
        const key = JSON.stringify(aggKey(source, plan, 'day', bucket.start));
        const seen = day.get(key);
        if (seen) mergeStats(seen[1], stats);
        else day.set(key, [plan, { ...stats }]);
      }
    }
    for (const [plan, stats] of day.values()) yield aggRow(source, plan, stats, 'day', bucket.start);
  }

  entityRows(source: EntitySource, now: number): Iterable<Row> {
    if (source === 'accounts') return this.accountRows(now);
    if (source === 'visitors') return this.visitorRows(now);
    return this.metadata.list(ENTITY_KIND[source], now, { expand: true });
  }

  *accountRows(now: number): Iterable<Row> {
    for (const id of this.world.people.accounts) yield accountRow(this.people, id, now);
  }

  *visitorRows(now: number): Iterable<Row> {
    for (const visitor of allVisitors(this.world.people, this.people)) yield visitorRow(this.people, visitor, now);
  }
}

/** The instants at which visibleStats of a plan can change. */
function aggFlips(v: Validity, now: number, plan: AggPlan, extra: readonly EventGroup[] | undefined): void {
  if (plan.visibleAt !== null) noteFlip(v, now, plan.visibleAt);
  for (let k = 0; k < plan.lateFrom; k++) noteFlip(v, now, plan.times[k] as number);
  if (plan.lateFrom < plan.times.length) noteFlip(v, now, plan.lateVisibleAt);
  for (const group of extra ?? []) noteFlip(v, now, group.visibleAt);
}
