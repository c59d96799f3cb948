import { keysetAfter } from './filters';
import { ALL_APPS, type AggregationBody } from './requests';

export { pathValue } from '../resources/keys';
export type { IncrementalSource } from '../resources/keys';
import type { IncrementalSource } from '../resources/keys';

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
