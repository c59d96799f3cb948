/**
 * Everything pendoflow knows about one Pendo resource, as workflow-safe data: the I/O side (src/pendo, src/sinks)
 * builds its requests, keys and messages from these fields and keeps no table of its own.
 * Keys are natural and stable: never firstTime or lastTime, which late events move.
 */
export interface ResourceEntry {
  /**
   * - `snapshot`: a full list each poll; only changed objects and tombstones are emitted.
   * - `aggregatedEvents`: hourly aggregates read per `hourRange` bucket.
   * - `rawEvents`: one row per event, keyset-paged on (timestamp, key) within hour windows.
   */
  readonly kind: 'snapshot' | 'aggregatedEvents' | 'rawEvents';
  /** Snapshot resources: the list endpoint, read with `expand=*` for every app. */
  readonly endpoint?: string;
  /** Event resources: the aggregation row source. */
  readonly source?: string;
  /** The fields whose values identify a document; event keys lead with their paging order. */
  readonly keyFields: readonly string[];
  /** Key fields Pendo may leave out of a row; every other key field must be present and not null. */
  readonly optionalKeyFields?: readonly string[];
  /**
   * What orders the data in time: `lastUpdatedAt`, the `hour` bucket, or the event's `browserTime`.
   * An event row belongs to the hour of its cursor field (for aggregates, the bucket itself).
   */
  readonly cursorField: string;
  /** The id of the Pendo object a row is about. */
  readonly idField: string;
  /** The Pendo webhook event type of its messages; a deleted object's is this plus `Deleted`. */
  readonly eventType: string;
}

/** Each aggregate row is one of these per hour and object. */
const AGGREGATE_GRAIN = ['appId', 'visitorId', 'accountId', 'remoteIp', 'server', 'userAgent'] as const;

/** The Pendo resources, one entry each; their order is the order of the default bindings. */
export const RESOURCES = {
  Feature: {
    kind: 'snapshot',
    endpoint: '/api/v1/feature',
    keyFields: ['id'],
    cursorField: 'lastUpdatedAt',
    idField: 'id',
    eventType: 'feature',
  },
  Guide: {
    kind: 'snapshot',
    endpoint: '/api/v1/guide',
    keyFields: ['id'],
    cursorField: 'lastUpdatedAt',
    idField: 'id',
    eventType: 'guide',
  },
  Page: {
    kind: 'snapshot',
    endpoint: '/api/v1/page',
    keyFields: ['id'],
    cursorField: 'lastUpdatedAt',
    idField: 'id',
    eventType: 'page',
  },
  Report: {
    kind: 'snapshot',
    endpoint: '/api/v1/report',
    keyFields: ['id'],
    cursorField: 'lastUpdatedAt',
    idField: 'id',
    eventType: 'report',
  },
  PageEvents: {
    kind: 'aggregatedEvents',
    source: 'pageEvents',
    keyFields: ['hour', 'pageId', ...AGGREGATE_GRAIN],
    cursorField: 'hour',
    idField: 'pageId',
    eventType: 'pageEvent',
  },
  FeatureEvents: {
    kind: 'aggregatedEvents',
    source: 'featureEvents',
    keyFields: ['hour', 'featureId', ...AGGREGATE_GRAIN],
    cursorField: 'hour',
    idField: 'featureId',
    eventType: 'featureEvent',
  },
  TrackEvents: {
    kind: 'aggregatedEvents',
    source: 'trackEvents',
    keyFields: ['hour', 'trackTypeId', ...AGGREGATE_GRAIN],
    cursorField: 'hour',
    idField: 'trackTypeId',
    eventType: 'trackEvent',
  },
  GuideEvents: {
    kind: 'rawEvents',
    source: 'guideEvents',
    keyFields: ['browserTime', 'guideId', 'guideStepId', 'visitorId', 'accountId', 'type', 'url', 'appId'],
    cursorField: 'browserTime',
    idField: 'guideId',
    eventType: 'guideEvent',
  },
  PollEvents: {
    kind: 'rawEvents',
    source: 'pollEvents',
    keyFields: ['browserTime', 'guideId', 'pollId', 'visitorId', 'accountId', 'type', 'url', 'appId'],
    // tap-pendo's poll event schema has no url: a poll answered outside a page may come without one.
    optionalKeyFields: ['url'],
    cursorField: 'browserTime',
    idField: 'pollId',
    eventType: 'pollEvent',
  },
} as const satisfies Record<string, ResourceEntry>;

export type ResourceName = keyof typeof RESOURCES;

/** One row or object as Pendo sends it. */
export type Row = Record<string, unknown>;
export type ResourceKind = ResourceEntry['kind'];

/** One resource's entry, with its name. */
export interface ResourceDefinition extends ResourceEntry {
  readonly name: ResourceName;
}

export const RESOURCE_NAMES = Object.keys(RESOURCES) as readonly ResourceName[];

export const REGISTRY = Object.fromEntries(
  RESOURCE_NAMES.map((name): [ResourceName, ResourceDefinition] => [name, { name, ...RESOURCES[name] }]),
) as Readonly<Record<ResourceName, ResourceDefinition>>;

export const RESOURCE_KINDS = Object.fromEntries(
  RESOURCE_NAMES.map((name): [ResourceName, ResourceKind] => [name, RESOURCES[name].kind]),
) as Readonly<Record<ResourceName, ResourceKind>>;

export function isResourceName(value: string): value is ResourceName {
  return (RESOURCE_NAMES as readonly string[]).includes(value);
}
