import type { Json } from './http';

export const RECORD_BEHAVIOR = 'https://ns.adobe.com/xdm/data/record';
export const TIME_SERIES_BEHAVIOR = 'https://ns.adobe.com/xdm/data/time-series';
export const BEHAVIORS = [RECORD_BEHAVIOR, TIME_SERIES_BEHAVIOR];

const globalClass = (id: string, title: string, behavior: string, properties: Json): Json => ({
  $id: id,
  'meta:altId': id.replace('https://ns.adobe.com/', '_').replaceAll('/', '.'),
  'meta:resourceType': 'classes',
  version: '1.0',
  title,
  type: 'object',
  'meta:extends': [behavior],
  'meta:abstract': true,
  'meta:containerId': 'global',
  properties,
});

/** The few standard classes a Pendo schema would build on (global container, read-only). */
export const GLOBAL_CLASSES: Json[] = [
  globalClass('https://ns.adobe.com/xdm/context/experienceevent', 'XDM ExperienceEvent', TIME_SERIES_BEHAVIOR, {
    _id: { type: 'string', title: 'Identifier' },
    timestamp: { type: 'string', format: 'date-time', title: 'Timestamp' },
  }),
  globalClass('https://ns.adobe.com/xdm/context/profile', 'XDM Individual Profile', RECORD_BEHAVIOR, {
    _id: { type: 'string', title: 'Identifier' },
  }),
];

export const findGlobalClass = (id: string): Json | undefined =>
  GLOBAL_CLASSES.find((c) => c.$id === id || c['meta:altId'] === id);
