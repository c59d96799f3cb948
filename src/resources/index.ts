/** The nine Pendo resources, as workflow-safe data. Endpoint and key details live in src/pendo/registry.ts. */
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
] as const;

export type ResourceName = (typeof RESOURCE_NAMES)[number];

/**
 * - `snapshot`: a full list each poll; only changed objects and tombstones are emitted.
 * - `aggregatedEvents`: hourly aggregates read per `hourRange` bucket.
 * - `rawEvents`: one row per event, keyset-paged on (timestamp, key) within hour windows.
 */
export type ResourceKind = 'snapshot' | 'aggregatedEvents' | 'rawEvents';

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
};

export function isResourceName(value: string): value is ResourceName {
  return (RESOURCE_NAMES as readonly string[]).includes(value);
}
