import { parseAggregation, runAggregation, type RowProvider } from '../../../emulators/pendo/aggregation/pipeline';
import type { Row } from '../../../emulators/pendo/aggregation/expressions';
import { WindowCache } from '../../../emulators/pendo/aggregation/window-cache';
import { conjuncts, keysetBound, keysetStart } from '../../../emulators/pendo/aggregation/keyset';
import { parseExpression } from '../../../emulators/pendo/aggregation/filter-parser';
import { parseSortKeys, sortRows } from '../../../emulators/pendo/aggregation/sort';
import type { Dataset } from '../../../emulators/pendo/data/generator';
import { injectLateEvents } from '../../../emulators/pendo/data/injection';
import { isHotHour } from '../../../emulators/pendo/data/shape';
import { REGISTRY, type ResourceDefinition } from '../../../src/resources';
import { keyValues } from '../../../src/resources/keys';
import { eventWindowBody } from '../../../src/pendo/requests';
import { HOUR, NOW, dataset } from './helpers';

const env = { now: NOW, timezone: 'America/New_York' };

function hotHour(source: string, seed = 7): number {
  for (let h = Math.floor(NOW / HOUR) * HOUR - 2 * HOUR; ; h -= HOUR) if (isHotHour(seed, source as never, h)) return h;
}

/** The dataset as the previous implementation saw it: the same rows, no window cache. */
function uncached(ds: Dataset): RowProvider {
  return {
    defaultAppId: ds.defaultAppId,
    eventRows: (...args) => ds.eventRows(...args),
    plannedRows: (...args) => ds.plannedRows(...args),
    entityRows: (...args) => ds.entityRows(...args),
  };
}

/** Counts the source rows a provider hands to the pipeline. */
function counting(ds: Dataset): { provider: RowProvider; pulled: () => number } {
  let pulled = 0;
  const provider: RowProvider = {
    defaultAppId: ds.defaultAppId,
    windowCache: ds.windowCache,
    *eventRows(...args) {
      for (const row of ds.eventRows(...args)) {
        pulled++;
        yield row;
      }
    },
    plannedRows: (...args) => ds.plannedRows(...args),
    entityRows: (...args) => ds.entityRows(...args),
  };
  return { provider, pulled: () => pulled };
}

function run(provider: RowProvider, body: unknown, now = NOW): Row[] {
  const e = { ...env, now };
  return Array.from(runAggregation(parseAggregation(body, e), provider, e).rows);
}

/** Pages one window the way pendoflow's client does, continuing strictly after the last row's key. */
function pages(provider: RowProvider, def: ResourceDefinition, fromMs: number, limit: number, now = NOW) {
  const rows: Row[] = [];
  let requests = 0;
  for (let after: unknown[] | undefined; ;) {
    const page = run(provider, eventWindowBody(def, { fromMs, toMs: fromMs + HOUR, limit, after }), now);
    requests++;
    rows.push(...page);
    if (page.length < limit) return { rows, requests };
    after = keyValues(def, page[page.length - 1] as Row);
  }
}

const text = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).join('\n');

describe('sorted event windows are cached between pages', () => {
  it.each(['PageEvents', 'GuideEvents', 'PollEvents'] as const)(
    'issue 13: paging a hot-spot %s hour reads its source once, and matches one response and the uncached answer',
    (name) => {
      const def = REGISTRY[name];
      const ds = dataset({ volume: 20 });
      const hour = hotHour(def.source as string);
      const { provider, pulled } = counting(ds);
      const paged = pages(provider, def, hour, 500);
      const total = paged.rows.length;
      expect(paged.requests).toBeGreaterThan(5);
      // Before: every page rescanned the whole hour, total × pages source rows.
      expect(pulled()).toBe(total);
      const single = run(uncached(ds), eventWindowBody(def, { fromMs: hour, toMs: hour + HOUR, limit: total + 1 }));
      const previous = pages(uncached(ds), def, hour, 500);
      expect(text(paged.rows)).toBe(text(single));
      expect(text(paged.rows)).toBe(text(previous.rows));
      expect(ds.windowCache.size).toBe(1);
    },
  );

  it.each(['PageEvents', 'GuideEvents', 'PollEvents'] as const)(
    "issue 13: the keyset filter of pendoflow's %s pages is binary-searched, and agrees with evaluating it",
    (name) => {
      const def = REGISTRY[name];
      const ds = dataset();
      const hour = hotHour(def.source as string);
      const all = run(ds, eventWindowBody(def, { fromMs: hour, toMs: hour + HOUR, limit: 1_000_000 }));
      const keys = parseSortKeys(def.keyFields);
      const sorted = sortRows(all, keys);
      for (const at of [0, 1, Math.floor(all.length / 2), all.length - 1]) {
        const after = keyValues(def, all[at] as Row);
        // A missing optional key field pages as isNull / !isNull; that form is recognised too.
        const variants = name === 'PollEvents' ? [after, [...after.slice(0, 6), null, ...after.slice(7)]] : [after];
        for (const v of variants) {
          const body = eventWindowBody(def, { fromMs: hour, toMs: hour + HOUR, limit: 10, after: v });
          const stage = body.request.pipeline[1] as { filter: string };
          const bound = conjuncts([parseExpression(stage.filter)])
            .map((p) => keysetBound(p, keys))
            .find((b) => b !== undefined);
          expect(bound).toBeDefined();
          expect(text(run(ds, body))).toBe(text(run(uncached(ds), body)));
          if (v === after) {
            expect(keysetStart(sorted, bound!)).toBe(at + 1);
            expect(run(ds, body)[0]).toEqual(all[at + 1]);
          }
        }
      }
    },
  );

  it('issue 13: the cache holds at most its bound in rows, least recently used out first', () => {
    const cache = new WindowCache(10);
    const entry = (n: number, start: number) => ({
      rows: Array.from({ length: n }, (_, i) => ({ i })),
      source: 'pageEvents',
      start,
      end: start + HOUR,
      validity: { from: -Infinity, until: Infinity },
    });
    cache.set('a', entry(4, 0));
    cache.set('b', entry(4, HOUR));
    expect(cache.get('a', 0)).toHaveLength(4);
    cache.set('c', entry(4, 2 * HOUR));
    expect(cache.rows).toBe(8);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toHaveLength(4);
    cache.set('big', entry(11, 3 * HOUR));
    expect(cache.get('big', 0)).toBeUndefined();
    expect(cache.rows).toBeLessThanOrEqual(10);
    expect(() => new WindowCache(-1)).toThrow(/windowCacheRows/);
  });

  it('issue 13: a window larger than the bound is answered uncached, and the same', () => {
    const def = REGISTRY.PageEvents;
    const ds = dataset({ volume: 20, windowCacheRows: 1000 });
    const hour = hotHour('pageEvents');
    const paged = pages(ds, def, hour, 700);
    expect(paged.rows.length).toBeGreaterThan(1000);
    expect(ds.windowCache.rows).toBe(0);
    expect(text(paged.rows)).toBe(text(pages(uncached(ds), def, hour, 700).rows));
  });

  it('issue 13: late-event injection and the clock invalidate cached windows', () => {
    const def = REGISTRY.PageEvents;
    const ds = dataset({ volume: 5 });
    const hour = hotHour('pageEvents');
    const before = pages(ds, def, hour, 300).rows;
    expect(ds.windowCache.size).toBe(1);
    const injected = injectLateEvents(ds, 'pageEvents', hour, 20, NOW);
    expect(ds.windowCache.size).toBe(0);
    const after = pages(ds, def, hour, 300).rows;
    expect(after.length).toBeGreaterThan(before.length);
    expect(text(after)).toBe(text(pages(uncached(ds), def, hour, 300).rows));
    const keys = new Set(after.map((r) => JSON.stringify(keyValues(def, r))));
    expect(injected.addedKeys.length).toBeGreaterThan(0);
    // Late events of the hour two hours ago become visible 4-6 h after it: a later clock sees more.
    const recent = Math.floor(NOW / HOUR) * HOUR - 2 * HOUR;
    const early = pages(ds, def, recent, 300).rows;
    const later = pages(ds, def, recent, 300, NOW + 5 * HOUR).rows;
    expect(text(later)).not.toBe(text(early));
    expect(text(later)).toBe(text(pages(uncached(ds), def, recent, 300, NOW + 5 * HOUR).rows));
    expect(text(pages(ds, def, recent, 300).rows)).toBe(text(early));
    expect(keys.size).toBe(after.length);
  });

  it('issue 13: metadata edits show at once, as entity sources are never cached', () => {
    const ds = dataset();
    const body = { request: { pipeline: [{ source: { pages: null } }, { sort: ['id'] }, { limit: 5 }] } };
    const [first] = run(ds, body) as [Row];
    ds.metadata.modify('page', first.id as string, { name: 'Renamed by issue 13' }, NOW);
    expect(run(ds, body)[0]?.name).toBe('Renamed by issue 13');
    expect(ds.windowCache.size).toBe(0);
  });
});
