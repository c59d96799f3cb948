import { expandTimeSeries, bucketFloor, nextBucket } from '../../../emulators/pendo/aggregation/time-series';
import { localTimeToUtc } from '../../../emulators/pendo/aggregation/timezone';
import { evaluateTimeExpression } from '../../../emulators/pendo/aggregation/expressions';
import { AggregationError } from '../../../emulators/pendo/aggregation/errors';

const NY = 'America/New_York';
const HOUR = 3_600_000;
const now = Date.UTC(2024, 5, 12, 15, 42, 17, 123); // 11:42 EDT
const env = { now, timezone: NY };

describe('time zone arithmetic', () => {
  it('finds local midnight in summer and winter', () => {
    expect(localTimeToUtc(NY, 2024, 6, 12)).toBe(Date.UTC(2024, 5, 12, 4));
    expect(localTimeToUtc(NY, 2024, 1, 15)).toBe(Date.UTC(2024, 0, 15, 5));
    expect(localTimeToUtc('Asia/Kolkata', 2024, 1, 15)).toBe(Date.UTC(2024, 0, 14, 18, 30));
  });

  it('maps a wall time inside the spring-forward gap to the end of the gap', () => {
    expect(localTimeToUtc(NY, 2024, 3, 10, 2, 30)).toBe(Date.UTC(2024, 2, 10, 7));
  });
});

describe('buckets', () => {
  it('floors to the hour and to local midnight', () => {
    expect(bucketFloor('hourRange', NY, now)).toBe(Date.UTC(2024, 5, 12, 15));
    expect(bucketFloor('dayRange', NY, now)).toBe(Date.UTC(2024, 5, 12, 4));
    // 23:30 EDT on the 11th is still the 11th locally although it is the 12th in UTC.
    expect(bucketFloor('dayRange', NY, Date.UTC(2024, 5, 12, 3, 30))).toBe(Date.UTC(2024, 5, 11, 4));
  });

  it('aligns hour buckets to half-hour offsets', () => {
    expect(bucketFloor('hourRange', 'Asia/Kolkata', Date.UTC(2024, 0, 1, 10, 10))).toBe(Date.UTC(2024, 0, 1, 9, 30));
  });

  it('gives the spring-forward day 23 hours and the fall-back day 25', () => {
    const spring = expandTimeSeries({ period: 'dayRange', first: Date.UTC(2024, 2, 10, 12), count: 1 }, env).buckets;
    expect(spring).toEqual([{ start: Date.UTC(2024, 2, 10, 5), end: Date.UTC(2024, 2, 11, 4) }]);
    const fall = expandTimeSeries({ period: 'dayRange', first: Date.UTC(2024, 10, 3, 12), count: 1 }, env).buckets;
    expect(fall).toEqual([{ start: Date.UTC(2024, 10, 3, 4), end: Date.UTC(2024, 10, 4, 5) }]);
    expect(((fall[0]?.end ?? 0) - (fall[0]?.start ?? 0)) / HOUR).toBe(25);
  });

  it('yields 23 and 25 hour buckets across those days', () => {
    const hours = (day: number, month: number): number =>
      expandTimeSeries(
        {
          period: 'hourRange',
          first: localTimeToUtc(NY, 2024, month, day),
          last: localTimeToUtc(NY, 2024, month, day + 1) - 1,
        },
        env,
      ).buckets.length;
    expect(hours(10, 3)).toBe(23);
    expect(hours(3, 11)).toBe(25);
    expect(hours(4, 11)).toBe(24);
  });

  it('steps day buckets across DST with local midnights', () => {
    const start = Date.UTC(2024, 2, 9, 5);
    const second = nextBucket('dayRange', NY, start);
    expect(second).toBe(Date.UTC(2024, 2, 10, 5));
    expect(nextBucket('dayRange', NY, second)).toBe(Date.UTC(2024, 2, 11, 4));
  });
});

describe('timeSeries first/last/count', () => {
  it('treats last as inclusive and first == last as exactly one bucket', () => {
    const t = Date.UTC(2024, 5, 12, 10, 30);
    expect(expandTimeSeries({ period: 'hourRange', first: String(t), last: String(t) }, env).buckets).toEqual([
      { start: Date.UTC(2024, 5, 12, 10), end: Date.UTC(2024, 5, 12, 11) },
    ]);
    expect(expandTimeSeries({ period: 'hourRange', first: t, last: t + 2 * HOUR }, env).buckets).toHaveLength(3);
  });

  it('counts forwards and backwards from first', () => {
    const fwd = expandTimeSeries({ period: 'hourRange', first: 'now()', count: 2 }, env).buckets.map((b) => b.start);
    expect(fwd).toEqual([Date.UTC(2024, 5, 12, 15), Date.UTC(2024, 5, 12, 16)]);
    const back = expandTimeSeries({ period: 'dayRange', first: 'now()', count: -1 }, env).buckets;
    expect(back).toEqual([{ start: Date.UTC(2024, 5, 11, 4), end: Date.UTC(2024, 5, 12, 4) }]);
    expect(expandTimeSeries({ period: 'dayRange', first: 'now()', count: '-3' }, env).buckets).toHaveLength(3);
  });

  it('evaluates now() arithmetic and date()', () => {
    expect(evaluateTimeExpression('now() - 3*60*60*1000', env, 'first')).toBe(now - 3 * HOUR);
    expect(evaluateTimeExpression('now()-30 * 1000 * 60 * 60 * 24', env, 'first')).toBe(now - 30 * 24 * HOUR);
    expect(evaluateTimeExpression('date(2024,1,1)', env, 'first')).toBe(Date.UTC(2024, 0, 1, 5));
    expect(evaluateTimeExpression('dateAdd(date(2024,3,9), 1, "days")', env, 'first')).toBe(Date.UTC(2024, 2, 10, 5));
    expect(evaluateTimeExpression('1724716800000', env, 'first')).toBe(1724716800000);
    expect(evaluateTimeExpression(1724716800000, env, 'first')).toBe(1724716800000);
  });

  it('rejects bad periods, missing count and non-time expressions', () => {
    expect(() => expandTimeSeries({ period: 'weekRange', first: now, count: 1 }, env)).toThrow(AggregationError);
    expect(() => expandTimeSeries({ period: 'hourRange', first: now }, env)).toThrow(/count or a last/);
    expect(() => expandTimeSeries({ period: 'hourRange', first: '"abc"', count: 1 }, env)).toThrow(/not a time/);
    expect(() => expandTimeSeries({ period: 'hourRange', first: 0, last: 1e13 }, { ...env, maxBuckets: 10 })).toThrow(
      /more than 10 buckets/,
    );
  });
});
