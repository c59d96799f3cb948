import { REGISTRY } from '../../../src/resources';
import { eventWindowBody, snapshotListPath } from '../../../src/pendo/requests';

const H = 3_600_000;
const T = Date.parse('2026-11-24T00:00:00Z');

describe('request builders', () => {
  it('reads an aggregate window by hourRange buckets, with the last bucket inclusive, sorted on the full key', () => {
    const body = eventWindowBody(REGISTRY.PageEvents, { fromMs: T, toMs: T + 2 * H, limit: 1000 });
    expect(body.request.pipeline).toEqual([
      {
        source: {
          pageEvents: { appId: 'expandAppIds("*")' },
          timeSeries: { period: 'hourRange', first: String(T), last: String(T + 2 * H - 1) },
        },
      },
      { sort: ['hour', 'pageId', 'appId', 'visitorId', 'accountId', 'remoteIp', 'server', 'userAgent'] },
      { limit: 1000 },
    ]);
  });

  it('continues a page strictly after the last key, with ids escaped', () => {
    const after = [T, 'FjH', 'a"b', 'v\\1', 'acc', 'step', 'url', -323232];
    const body = eventWindowBody(REGISTRY.GuideEvents, { fromMs: T, toMs: T + H, limit: 5, after });
    const filter = (body.request.pipeline[1] as { filter: string }).filter;
    expect(filter.startsWith(`(browserTime >= ${T} && browserTime < ${T + H}) && (`)).toBe(true);
    expect(filter).toContain('guideStepId > "a\\"b"');
    expect(filter).toContain('visitorId > "v\\\\1"');
  });

  it('refuses windows that are not whole hours', () => {
    expect(() => eventWindowBody(REGISTRY.PageEvents, { fromMs: T + 1, toMs: T + H, limit: 1 })).toThrow(/whole hours/);
  });

  it('lists metadata across all apps', () => {
    expect(snapshotListPath(REGISTRY.Report)).toBe('/api/v1/report?expand=*');
  });
});
