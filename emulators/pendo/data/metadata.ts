/** The mutable metadata store behind the list endpoints: create, modify, delete, and scheduled changes. */
import { versionId, userRef, type MetaObject, type PendoUser } from './common';
import { Rng, at, hash32, randomId } from './random';

export const META_KINDS = ['feature', 'page', 'guide', 'report', 'trackType', 'segment'] as const;
export type MetaKind = (typeof META_KINDS)[number];

export function isMetaKind(kind: string): kind is MetaKind {
  return (META_KINDS as readonly string[]).includes(kind);
}

const KIND_LABEL: Record<MetaKind, string> = {
  feature: 'Feature',
  page: 'Page',
  guide: 'Guide',
  report: 'Report',
  trackType: 'TrackType',
  segment: 'Segment',
};

export interface ListQuery {
  /** `expand=*`: all apps instead of the default app only. */
  expand?: boolean;
  ids?: string[];
  state?: string;
}

export interface MetadataStoreOptions {
  seed: number;
  users: PendoUser[];
  defaultAppId: number;
  /** 0 turns scheduled changes off. */
  mutateEveryMs: number;
  /** Scheduled change k happens at startMs + k × mutateEveryMs. */
  startMs: number;
  /** Ids that events reference; scheduled changes never delete them. */
  protectedIds: ReadonlySet<string>;
}

const AUTO_KINDS: MetaKind[] = ['page', 'feature', 'report'];
/** Track types are touched hourly (their rules re-evaluated), each at its own minute: an incremental reader always has news. */
const TRACK_TYPE_TOUCH_MS = 3_600_000;
const MAX_TICKS_PER_CALL = 100_000;

export class MetadataStore {
  private readonly objects = new Map<MetaKind, Map<string, MetaObject>>();
  private appliedTicks = 0;
  private created = 0;

  constructor(
    private readonly opts: MetadataStoreOptions,
    initial: Record<MetaKind, MetaObject[]>,
  ) {
    for (const kind of META_KINDS) {
      this.objects.set(kind, new Map(initial[kind].map((o) => [o.id, structuredClone(o)])));
    }
  }

  private map(kind: MetaKind): Map<string, MetaObject> {
    const m = this.objects.get(kind);
    if (!m) throw new Error(`unknown kind ${kind}`);
    return m;
  }

  /** Current objects of a kind, in creation order. */
  list(kind: MetaKind, now: number, query: ListQuery = {}): MetaObject[] {
    this.advance(now);
    const ids = query.ids && new Set(query.ids);
    return [...this.map(kind).values()].filter(
      (o) =>
        (query.expand || o.appId === this.opts.defaultAppId) &&
        (!ids || ids.has(o.id)) &&
        (query.state === undefined || o.state === query.state),
    );
  }

  get(kind: MetaKind, id: string, now: number): MetaObject | undefined {
    this.advance(now);
    return this.map(kind).get(id);
  }

  /** Creates an object shaped like the existing ones of its kind, overridden by `partial`. */
  create(kind: MetaKind, partial: Record<string, unknown>, now: number): MetaObject {
    this.advance(now);
    return this.insert(kind, partial, now);
  }

  private insert(kind: MetaKind, partial: Record<string, unknown>, now: number): MetaObject {
    const rng = Rng.of(this.opts.seed, 'created', ++this.created);
    const id = typeof partial.id === 'string' && partial.id !== '' ? partial.id : randomId(rng);
    if (this.map(kind).has(id)) throw new Error(`${kind} ${id} already exists`);
    const template = [...this.map(kind).values()][0] ?? {};
    const user = userRef(rng.pick(this.opts.users));
    const obj: MetaObject = {
      ...structuredClone(template),
      kind: KIND_LABEL[kind],
      name: `New ${kind} ${this.created}`,
      appId: this.opts.defaultAppId,
      createdAt: now,
      createdByUser: user,
      dirty: false,
      ...partial,
      id,
      rootVersionId: id,
      lastUpdatedAt: now,
      lastUpdatedByUser: user,
      stableVersionId: versionId(id, now),
    };
    if (kind === 'guide') {
      obj.appIds = [obj.appId];
      if (!('polls' in partial)) obj.polls = [];
      if (!('steps' in partial)) {
        obj.steps = [
          { ...(stepTemplate(template) ?? {}), id: randomId(rng), guideId: id, pollIds: [], lastUpdatedAt: now },
        ];
      }
    }
    this.map(kind).set(id, obj);
    return obj;
  }

  /** Applies a partial update, bumping lastUpdatedAt, lastUpdatedByUser and stableVersionId. */
  modify(kind: MetaKind, id: string, partial: Record<string, unknown>, now: number): MetaObject | undefined {
    this.advance(now);
    return this.update(kind, id, partial, now);
  }

  private update(kind: MetaKind, id: string, partial: Record<string, unknown>, now: number): MetaObject | undefined {
    const current = this.map(kind).get(id);
    if (!current) return undefined;
    const lastUpdatedAt = Math.max(now, current.lastUpdatedAt + 1);
    const user = userRef(at(this.opts.users, (this.created + lastUpdatedAt) % this.opts.users.length));
    const next: MetaObject = {
      ...current,
      ...partial,
      id,
      lastUpdatedAt,
      lastUpdatedByUser: user,
      stableVersionId: versionId(id, lastUpdatedAt),
    };
    this.map(kind).set(id, next);
    return next;
  }

  remove(kind: MetaKind, id: string, now: number): MetaObject | undefined {
    this.advance(now);
    const current = this.map(kind).get(id);
    this.map(kind).delete(id);
    return current;
  }

  /** Applies the scheduled changes due by `now`; each is a pure function of (seed, tick) and the current state. */
  advance(now: number): void {
    this.touchTrackTypes(now);
    const every = this.opts.mutateEveryMs;
    if (!(every > 0)) return;
    const due = Math.floor((now - this.opts.startMs) / every);
    let budget = MAX_TICKS_PER_CALL;
    while (this.appliedTicks < due && budget-- > 0) {
      const tick = ++this.appliedTicks;
      this.applyTick(tick, this.opts.startMs + tick * every);
    }
  }

  private touchTrackTypes(now: number): void {
    for (const obj of [...this.map('trackType').values()]) {
      const phase = hash32(this.opts.seed, 'touch', obj.id) % TRACK_TYPE_TOUCH_MS;
      const at = Math.floor((now - phase) / TRACK_TYPE_TOUCH_MS) * TRACK_TYPE_TOUCH_MS + phase;
      if (at > obj.lastUpdatedAt) this.update('trackType', obj.id, {}, at);
    }
  }

  private applyTick(tick: number, at: number): void {
    const rng = Rng.of(this.opts.seed, 'mutate', tick);
    const roll = rng.next();
    const kind = roll < 0.6 ? rng.pick(META_KINDS) : rng.pick(AUTO_KINDS);
    const objects = [...this.map(kind).values()];
    if (roll < 0.6 && objects.length > 0) {
      const target = rng.pick(objects);
      const name = String(target.name ?? '').replace(/ \(rev \d+\)$/, '');
      this.update(kind, target.id, { name: `${name} (rev ${tick})` }, at);
    } else if (roll < 0.8 || objects.length <= 3) {
      const source = objects.length > 0 ? rng.pick(objects) : undefined;
      this.insert(kind, { name: `Scheduled ${kind} ${tick}`, appId: source?.appId ?? this.opts.defaultAppId }, at);
    } else {
      const candidates = objects.filter((o) => !this.opts.protectedIds.has(o.id));
      if (candidates.length > 0) this.map(kind).delete(rng.pick(candidates).id);
    }
  }
}

function stepTemplate(guide: Record<string, unknown>): Record<string, unknown> | undefined {
  const steps = guide.steps;
  return Array.isArray(steps) && steps[0] && typeof steps[0] === 'object'
    ? (steps[0] as Record<string, unknown>)
    : undefined;
}
