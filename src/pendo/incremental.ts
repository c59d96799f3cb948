import { keysetAfter } from './filters';
import { ALL_APPS, type AggregationBody } from './requests';

/** What an incremental read needs of a resource: its aggregation row source, its cursor and its id. */
export interface IncrementalSource {
  name: string;
  source: 'accounts' | 'visitors' | 'trackTypes';
  /** A dotted path to the updated-at time in epoch ms, e.g. `metadata.auto.lastupdated`. */
  cursorField: string;
  idField: string;
}

export interface IncrementalPage {
  /** Rows updated before this are not read (the capture's start date). */
  startMs: number;
  limit: number;
  /** (updated-at, id) of the last row already read; the page starts strictly after it. */
  after?: readonly [number, string];
}

/**
 * One page of an incremental resource: rows updated at or after `startMs`, strictly after `after` on the pair
 * (updated-at, id), sorted on that pair. Never `>=` on one field: with more than `limit` rows at one timestamp,
 * that asks for the same page forever.
 */
export function incrementalBody(def: IncrementalSource, page: IncrementalPage): AggregationBody {
  const filters = [`${def.cursorField} >= ${page.startMs}`];
  if (page.after) filters.push(keysetAfter([def.cursorField, def.idField], page.after));
  return {
    response: { mimeType: 'application/json' },
    request: {
      requestId: `${def.source}-${page.startMs}-${page.after ? page.after.join('-') : 'first'}`,
      pipeline: [
        { source: { [def.source]: { appId: ALL_APPS } } },
        { filter: filters.map((f) => `(${f})`).join(' && ') },
        { sort: [def.cursorField, def.idField] },
        { limit: page.limit },
      ],
    },
  };
}

/** A dotted path's value in a row; undefined when any step is missing. */
export function pathValue(row: Record<string, unknown>, path: string): unknown {
  let node: unknown = row;
  for (const step of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}
