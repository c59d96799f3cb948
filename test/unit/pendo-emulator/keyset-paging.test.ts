import { parseAggregation, runAggregation } from '../../../emulators/pendo/aggregation/pipeline';
import type { Row } from '../../../emulators/pendo/aggregation/expressions';
import { isHotHour } from '../../../emulators/pendo/data/shape';
import { HOUR, NOW, dataset, keysetFilter } from './helpers';

const ds = dataset({ hotSpots: 'stress' });
const env = { now: NOW, timezone: 'America/New_York' };

function hotHour(source: string): number {
  for (let h = Math.floor(NOW / HOUR) * HOUR - 2 * HOUR; ; h -= HOUR) {
    if (isHotHour(7, source as never, h)) return h;
  }
}

/** Pages through one hour with `limit`, continuing strictly after the last row on the full key. */
function pageThrough(source: string, hour: number, keys: string[], limit: number): { rows: Row[]; requests: number } {
  const rows: Row[] = [];
  let requests = 0;
  for (let last: Row | undefined; ;) {
    const pipeline: unknown[] = [
      {
        source: {
          [source]: { appId: 'expandAppIds("*")' },
          timeSeries: { period: 'hourRange', first: hour, last: hour },
        },
      },
    ];
    if (last) pipeline.push({ filter: keysetFilter(keys, last) });
    pipeline.push({ sort: keys }, { limit });
    const page = Array.from(runAggregation(parseAggregation({ request: { pipeline } }, env), ds, env).rows);
    requests++;
    rows.push(...page);
    if (page.length < limit) return { rows, requests };
    last = page[page.length - 1];
  }
}

describe('keyset paging over the full grain key', () => {
  it('returns every pageEvents row of a hot hour exactly once', () => {
    const hour = hotHour('pageEvents');
    const keys = ['lastTime', 'appId', 'pageId', 'visitorId', 'accountId', 'remoteIp', 'server', 'userAgent'];
    const truth = Array.from(ds.eventRows('pageEvents', { start: hour, end: hour + HOUR }, 'hourRange', NOW));
    const sharing = truth.filter((r) => r.lastTime === truth[truth.length - 1]?.lastTime).length;
    expect(sharing).toBeGreaterThan(1000);
    const { rows, requests } = pageThrough('pageEvents', hour, keys, 1000);
    expect(requests).toBeGreaterThan(1);
    const id = (r: Row) => JSON.stringify(keys.map((k) => r[k]));
    expect(new Set(rows.map(id)).size).toBe(rows.length);
    expect(rows.map(id).sort()).toEqual(truth.map(id).sort());
  });

  it('returns every guideEvents row of a hot hour exactly once, awkward ids included', () => {
    const hour = hotHour('guideEvents');
    const keys = ['browserTime', 'guideId', 'guideStepId', 'visitorId', 'accountId', 'type', 'url'];
    const truth = Array.from(ds.eventRows('guideEvents', { start: hour, end: hour + HOUR }, 'hourRange', NOW));
    const { rows } = pageThrough('guideEvents', hour, keys, 400);
    const id = (r: Row) => JSON.stringify(keys.map((k) => r[k]));
    expect(rows).toHaveLength(truth.length);
    expect(new Set(rows.map(id)).size).toBe(truth.length);
    expect(rows.some((r) => String(r.visitorId).includes('"') || String(r.visitorId).includes('\\'))).toBe(true);
  });

  it('pages with skip and limit over a stable sort', () => {
    const hour = hotHour('featureEvents') - HOUR;
    const keys = ['visitorId', 'featureId', 'remoteIp', 'userAgent', 'appId'];
    const base = { source: { featureEvents: null, timeSeries: { period: 'hourRange', first: hour, count: 1 } } };
    const count = (extra: unknown[]) =>
      Array.from(runAggregation(parseAggregation({ request: { pipeline: [base, ...extra] } }, env), ds, env).rows);
    const [{ count: total } = { count: 0 }] = count([{ count: null }]);
    const seen: Row[] = [];
    for (let skip = 0; skip < (total as number); skip += 7)
      seen.push(...count([{ sort: keys }, { skip }, { limit: 7 }]));
    expect(seen).toEqual(count([{ sort: keys }]));
    expect(seen).toHaveLength(total as number);
  });
});
