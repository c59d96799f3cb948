import type { ResourceDefinition, Row } from './registry';

/**
 * The first key field a row lacks (absent or null), or undefined when its key is whole. Pendo sends every key
 * field, an empty string where there is no value (an anonymous visitor's `accountId`), so a gap means a bad response.
 */
export function missingKeyField(def: ResourceDefinition, row: Row): string | undefined {
  return def.keyFields.find(
    (field) => (row[field] === undefined || row[field] === null) && !def.optionalKeyFields?.includes(field),
  );
}

/** The values of a row's key fields, in order; a missing optional field counts as null. */
export function keyValues(def: ResourceDefinition, row: Row): unknown[] {
  return def.keyFields.map((field) => row[field] ?? null);
}

/** A stable string for a document's key: equal keys, equal strings. */
export function documentKey(def: ResourceDefinition, row: Row): string {
  return JSON.stringify(keyValues(def, row));
}
