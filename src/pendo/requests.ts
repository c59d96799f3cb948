import { keysetAfter } from './filters';
import type { ResourceDefinition } from '../resources';
import { HOUR } from '../workflows/common/time';

/** Every app of a multi-app subscription; without it only the default app's data comes back. */
export const ALL_APPS = 'expandAppIds("*")';

export interface AggregationBody {
  response: { mimeType: 'application/json' };
  request: { requestId: string; pipeline: Record<string, unknown>[] };
}

export interface WindowPage {
  /** Window start, inclusive, on an hour boundary. */
  fromMs: number;
  /** Window end, exclusive, on an hour boundary. */
  toMs: number;
  limit: number;
  /** Key values of the last row already read; the page starts strictly after it. */
  after?: readonly unknown[];
}

/**
 * One page of an event window. Aggregates come per `hourRange` bucket (the bucket of `last` is inclusive);
 * raw events are filtered on their timestamp too. Both are sorted on the full key and paged by keyset.
 */
export function eventWindowBody(def: ResourceDefinition, page: WindowPage): AggregationBody {
  if (!def.source) throw new Error(`${def.name} is not an event resource`);
  if (page.fromMs % HOUR !== 0 || page.toMs % HOUR !== 0 || page.toMs <= page.fromMs) {
    throw new Error(`window [${page.fromMs}, ${page.toMs}) must be whole hours`);
  }
  const filters: string[] = [];
  if (def.kind === 'rawEvents')
    filters.push(`${def.cursorField} >= ${page.fromMs} && ${def.cursorField} < ${page.toMs}`);
  if (page.after) filters.push(keysetAfter(def.keyFields, page.after));
  const filter = filters.length > 1 ? filters.map((f) => `(${f})`).join(' && ') : filters[0];
  const pipeline: Record<string, unknown>[] = [
    {
      source: {
        [def.source]: { appId: ALL_APPS },
        timeSeries: { period: 'hourRange', first: String(page.fromMs), last: String(page.toMs - 1) },
      },
    },
    ...(filter ? [{ filter }] : []),
    { sort: [...def.keyFields] },
    { limit: page.limit },
  ];
  return {
    response: { mimeType: 'application/json' },
    request: { requestId: `${def.source}-${page.fromMs}-${page.toMs}`, pipeline },
  };
}

/** The path and query of a snapshot list, across all apps. */
export function snapshotListPath(def: ResourceDefinition): string {
  if (!def.endpoint) throw new Error(`${def.name} is not a snapshot resource`);
  return `${def.endpoint}?expand=*`;
}
