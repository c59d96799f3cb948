import { RESOURCE_KINDS, RESOURCE_NAMES, type ResourceKind, type ResourceName } from '../resources';

export type EventSource = 'pageEvents' | 'featureEvents' | 'trackEvents' | 'guideEvents' | 'pollEvents';

/** How one resource is read, keyed and paged. Keys are natural and stable: never firstTime or lastTime. */
export interface ResourceDefinition {
  name: ResourceName;
  kind: ResourceKind;
  /** Snapshot resources: the list endpoint, read with `expand=*` for every app. */
  endpoint?: string;
  /** Event resources: the aggregation row source. */
  source?: EventSource;
  /** The fields whose values identify a document; event keys lead with their paging order. */
  keyFields: readonly string[];
  /** Key fields Pendo may leave out of a row; every other key field must be present and not null. */
  optionalKeyFields?: readonly string[];
  /** What orders the data in time: `lastUpdatedAt`, the `hour` bucket, or the event's `browserTime`. */
  cursorField: string;
  /** The id of the Pendo object a row is about. */
  idField: string;
}

const AGGREGATE_GRAIN = ['appId', 'visitorId', 'accountId', 'remoteIp', 'server', 'userAgent'] as const;

function snapshot(name: ResourceName, path: string): ResourceDefinition {
  return {
    name,
    kind: 'snapshot',
    endpoint: `/api/v1/${path}`,
    keyFields: ['id'],
    cursorField: 'lastUpdatedAt',
    idField: 'id',
  };
}

function aggregated(name: ResourceName, source: EventSource, idField: string): ResourceDefinition {
  return {
    name,
    kind: 'aggregatedEvents',
    source,
    keyFields: ['hour', idField, ...AGGREGATE_GRAIN],
    cursorField: 'hour',
    idField,
  };
}

export const REGISTRY: Readonly<Record<ResourceName, ResourceDefinition>> = {
  Feature: snapshot('Feature', 'feature'),
  Guide: snapshot('Guide', 'guide'),
  Page: snapshot('Page', 'page'),
  Report: snapshot('Report', 'report'),
  PageEvents: aggregated('PageEvents', 'pageEvents', 'pageId'),
  FeatureEvents: aggregated('FeatureEvents', 'featureEvents', 'featureId'),
  TrackEvents: aggregated('TrackEvents', 'trackEvents', 'trackTypeId'),
  GuideEvents: {
    name: 'GuideEvents',
    kind: 'rawEvents',
    source: 'guideEvents',
    keyFields: ['browserTime', 'guideId', 'guideStepId', 'visitorId', 'accountId', 'type', 'url', 'appId'],
    cursorField: 'browserTime',
    idField: 'guideId',
  },
  PollEvents: {
    name: 'PollEvents',
    kind: 'rawEvents',
    source: 'pollEvents',
    keyFields: ['browserTime', 'guideId', 'pollId', 'visitorId', 'accountId', 'type', 'url', 'appId'],
    // tap-pendo's poll event schema has no url: a poll answered outside a page may come without one.
    optionalKeyFields: ['url'],
    cursorField: 'browserTime',
    idField: 'pollId',
  },
};

for (const name of RESOURCE_NAMES) {
  if (REGISTRY[name].kind !== RESOURCE_KINDS[name])
    throw new Error(`registry kind of ${name} disagrees with src/resources`);
}

export type Row = Record<string, unknown>;

/**
 * The first key field a row lacks (absent or null), or undefined when its key is whole. Pendo sends every key
 * field, an empty string where there is no value (an anonymous visitor's `accountId`), so a gap means a bad response.
 */
export function missingKeyField(def: ResourceDefinition, row: Row): string | undefined {
  return def.keyFields.find((f) => (row[f] === undefined || row[f] === null) && !def.optionalKeyFields?.includes(f));
}

/** The values of a row's key fields, in order; a missing optional field counts as null. */
export function keyValues(def: ResourceDefinition, row: Row): unknown[] {
  return def.keyFields.map((f) => row[f] ?? null);
}

/** A stable string for a document's key: equal keys, equal strings. */
export function documentKey(def: ResourceDefinition, row: Row): string {
  return JSON.stringify(keyValues(def, row));
}
