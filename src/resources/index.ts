/** The fifteen Pendo resources, as workflow-safe data. Endpoint and key details live in src/pendo/registry.ts. */
export const RESOURCE_NAMES = [
  'Feature',
  'Guide',
  'Page',
  'Report',
  'PageEvents',
  'FeatureEvents',
  'TrackEvents',
  'GuideEvents',
  'PollEvents',
  'Segment',
  'Account',
  'Visitor',
  'TrackType',
  'AccountMetadata',
  'VisitorMetadata',
] as const;

export type ResourceName = (typeof RESOURCE_NAMES)[number];

/**
 * - `snapshot`: a full list each poll; only changed objects and tombstones are emitted.
 * - `aggregatedEvents`: hourly aggregates read per `hourRange` bucket.
 * - `rawEvents`: one row per event, keyset-paged on (timestamp, key) within hour windows.
 * - `incremental`: objects read from where the collection ends, keyset-paged on (updated-at, id); every version
 *   is kept, and deletions cannot be seen (Pendo lists live objects only).
 */
export type ResourceKind = 'snapshot' | 'aggregatedEvents' | 'rawEvents' | 'incremental';

export const RESOURCE_KINDS: Readonly<Record<ResourceName, ResourceKind>> = {
  Feature: 'snapshot',
  Guide: 'snapshot',
  Page: 'snapshot',
  Report: 'snapshot',
  PageEvents: 'aggregatedEvents',
  FeatureEvents: 'aggregatedEvents',
  TrackEvents: 'aggregatedEvents',
  GuideEvents: 'rawEvents',
  PollEvents: 'rawEvents',
  Segment: 'snapshot',
  Account: 'incremental',
  Visitor: 'incremental',
  TrackType: 'incremental',
  AccountMetadata: 'snapshot',
  VisitorMetadata: 'snapshot',
};

export function isResourceName(value: string): value is ResourceName {
  return (RESOURCE_NAMES as readonly string[]).includes(value);
}
