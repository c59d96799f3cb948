import { parseAggregation, runAggregation, type RowProvider } from '../../../emulators/pendo/aggregation/pipeline';
import { parseSortKeys, sortRows, topK } from '../../../emulators/pendo/aggregation/sort';
import { applyStages, parseStage } from '../../../emulators/pendo/aggregation/stages';
import type { Row } from '../../../emulators/pendo/aggregation/expressions';

const env = { now: Date.UTC(2024, 5, 12, 15), timezone: 'America/New_York' };
const run = (rows: Row[], stages: unknown[]): Row[] => Array.from(applyStages(rows, stages.map(parseStage), env));

const mixed: Row[] = [
  { id: 1, k: 'b', v: 2 },
  { id: 2, k: 'a', v: 'x' },
  { id: 3, k: 'b', v: null },
  { id: 4, k: 'a', v: 10 },
  { id: 5, k: 'b', v: 2 },
  { id: 6, k: 'a' },
  { id: 7, k: 'B', v: 9 },
  { id: 8, k: 'a', v: 9 },
];

describe('sort', () => {
  it('sorts by several keys, descending with "-", keeping ties in input order', () => {
    expect(sortRows(mixed, parseSortKeys(['k', '-v'])).map((r) => r.id)).toEqual([7, 2, 4, 8, 6, 1, 5, 3]);
  });

  it('orders missing/null < numbers < strings', () => {
    expect(sortRows(mixed, parseSortKeys(['v'])).map((r) => r.id)).toEqual([3, 6, 1, 5, 7, 8, 4, 2]);
  });

  it('topK agrees with a full sort, ties included', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ i, a: (i * 7919) % 13, b: i % 3 === 0 ? 'x' : 'y' }));
    const keys = parseSortKeys(['a', '-b']);
    expect(topK(rows, keys, 1500)).toEqual(sortRows(rows, keys).slice(0, 1500));
  });

  it('rejects malformed sort keys', () => {
    expect(() => parseSortKeys([])).toThrow(/sort/);
    expect(() => parseSortKeys(['a b'])).toThrow(/bad sort key/);
  });
});

describe('skip, limit, count, identified, select', () => {
  const rows = Array.from({ length: 25 }, (_, i) => ({ n: i, visitorId: i % 5 === 0 ? `_PENDO_T_${i}` : `v${i}` }));

  it('pages with skip and limit after a sort', () => {
    expect(run(rows, [{ sort: ['-n'] }, { skip: 5 }, { limit: 3 }]).map((r) => r.n)).toEqual([19, 18, 17]);
    expect(run(rows, [{ skip: 24 }, { limit: 10 }]).map((r) => r.n)).toEqual([24]);
    expect(run(rows, [{ limit: 0 }])).toEqual([]);
  });

  it('counts and drops anonymous visitors', () => {
    expect(run(rows, [{ count: null }])).toEqual([{ count: 25 }]);
    expect(run(rows, [{ identified: 'visitorId' }, { count: null }])).toEqual([{ count: 20 }]);
    expect(run(rows, [{ filter: 'n >= 20' }, { select: { id: 'visitorId', twice: 'n * 2' } }])).toEqual([
      { id: '_PENDO_T_20', twice: 40 },
      { id: 'v21', twice: 42 },
      { id: 'v22', twice: 44 },
      { id: 'v23', twice: 46 },
      { id: 'v24', twice: 48 },
    ]);
  });

  it('stops pulling the source once the limit is reached', () => {
    let pulled = 0;
    function* source(): Iterable<Row> {
      for (let i = 0; ; i++) {
        pulled++;
        yield { i };
      }
    }
    expect(Array.from(applyStages(source(), [parseStage({ limit: 5 })], env))).toHaveLength(5);
    expect(pulled).toBe(5);
  });

  it('rejects unknown stages and bad numbers', () => {
    expect(() => parseStage({ group: {} })).toThrow(/unsupported stage/);
    expect(() => parseStage({ limit: -1 })).toThrow(/whole number/);
    expect(() => parseStage({ limit: 1, skip: 1 })).toThrow(/exactly one key/);
  });
});

describe('the aggregation envelope', () => {
  const provider: RowProvider = {
    defaultAppId: -323232,
    eventRows: (_source, bucket) => [
      { appId: -323232, pageId: 'p1', hour: bucket.start, visitorId: 'a' },
      { appId: 42, pageId: 'p2', hour: bucket.start, visitorId: 'b' },
    ],
    plannedRows: () => 2,
    entityRows: () => [
      { id: 'f1', appId: -323232 },
      { id: 'f2', appId: 42 },
    ],
  };
  const body = (source: unknown, ...stages: unknown[]) => ({ request: { pipeline: [{ source }, ...stages] } });
  const ts = { period: 'hourRange', first: 'now()', count: -2 };

  it('reads timeSeries beside or inside the row source, and app selectors', () => {
    const beside = parseAggregation(body({ pageEvents: null, timeSeries: ts }), env);
    const inside = parseAggregation(body({ pageEvents: { appId: 'expandAppIds(`*`)', timeSeries: ts } }), env);
    expect(beside.timeSeries).toEqual(inside.timeSeries);
    expect(Array.from(runAggregation(beside, provider, env).rows).map((r) => r.appId)).toEqual([-323232, -323232]);
    const all = runAggregation(inside, provider, env);
    expect(all.startTime).toBe(Date.UTC(2024, 5, 12, 13));
    expect(Array.from(all.rows).map((r) => r.hour)).toEqual([
      Date.UTC(2024, 5, 12, 13),
      Date.UTC(2024, 5, 12, 13),
      Date.UTC(2024, 5, 12, 14),
      Date.UTC(2024, 5, 12, 14),
    ]);
    const listed = parseAggregation(body({ pageEvents: { appId: [42] }, timeSeries: ts }), env);
    expect(Array.from(runAggregation(listed, provider, env).rows).every((r) => r.appId === 42)).toBe(true);
    const byPage = parseAggregation(body({ pageEvents: { pageId: 'p2' }, timeSeries: ts }), env);
    expect(Array.from(runAggregation(byPage, provider, env).rows).map((r) => r.pageId)).toEqual(['p2', 'p2']);
  });

  it('serves entity sources with request time as startTime', () => {
    const plan = parseAggregation(body({ features: { appId: 'expandAppIds("*")' } }, { sort: ['-id'] }), env);
    const out = runAggregation(plan, provider, env);
    expect(out.startTime).toBe(env.now);
    expect(Array.from(out.rows).map((r) => r.id)).toEqual(['f2', 'f1']);
  });

  it('refuses unknown sources, missing timeSeries and budgets exceeded', () => {
    expect(() => parseAggregation(body({ segments: null }), env)).toThrow(/Cannot parse filter expression/);
    expect(() => parseAggregation(body({ pageEvents: null }), env)).toThrow(/needs a timeSeries/);
    expect(() => parseAggregation({ request: {} }, env)).toThrow(/pipeline/);
    const plan = parseAggregation(body({ pageEvents: null, timeSeries: ts }), env);
    expect(() => runAggregation(plan, provider, { ...env, rowBudget: 3 })).toThrow(/^Aggregation too large/);
  });
});
