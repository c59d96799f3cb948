import type { ResourceDefinition, Row } from './registry';

/**
 * The first key field a row lacks (absent or null), or undefined when its key is whole. Pendo sends every key
 * field, an empty string where there is no value (an anonymous visitor's `accountId`), so a gap means a bad response.
 */
export function missingKeyField(def: ResourceDefinition, row: Row): string | undefined {
  return def.keyFields.find((field) => {
    const value = pathValue(row, field);
    return (value === undefined || value === null) && !def.optionalKeyFields?.includes(field);
  });
}

/** The values of a row's key fields, in order (a field may be a dotted path); a missing optional one is null. */
export function keyValues(def: ResourceDefinition, row: Row): unknown[] {
  return def.keyFields.map((field) => pathValue(row, field) ?? null);
}

/** A dotted path's value in a row (`metadata.auto.lastupdated`); undefined when any step is missing. */
export function pathValue(row: Row, path: string): unknown {
  let node: unknown = row;
  for (const step of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Row)[step];
  }
  return node;
}

/** What an incremental read needs of a resource: its aggregation row source, its cursor and its id. */
export interface IncrementalSource {
  name: string;
  source: 'accounts' | 'visitors' | 'trackTypes';
  /** A dotted path to the updated-at time in epoch ms, e.g. `metadata.auto.lastupdated`. */
  cursorField: string;
  idField: string;
}

/** What an incremental read needs of an incremental resource. */
export function incrementalSource(def: ResourceDefinition): IncrementalSource {
  const source = def.source;
  if (def.kind !== 'incremental' || (source !== 'accounts' && source !== 'visitors' && source !== 'trackTypes')) {
    throw new Error(`${def.name} is not an incremental resource`);
  }
  return { name: def.name, source, cursorField: def.cursorField, idField: def.idField };
}

/** A stable string for a document's key: equal keys, equal strings. */
export function documentKey(def: ResourceDefinition, row: Row): string {
  return JSON.stringify(keyValues(def, row));
}
