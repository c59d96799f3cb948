import { HOUR } from '../../../src/workflows/capture/cursor';
import { advancePrefix, nextFreshWindow, windowSlots } from '../../../src/workflows/capture/window-pool';

const h = (n: number) => n * HOUR;
const w = (from: number, to: number) => ({ fromMs: h(from), toMs: h(to) });
const limits = { incrementalLimit: 1, backfillLimit: 1, windowHours: 24, requestTimeoutMs: 5000 };

describe('issue 13: concurrent windows, the cursor over their contiguous prefix', () => {
  it('moves the prefix only over windows that touch it, in any order of finishing', () => {
    expect(advancePrefix(h(0), [w(2, 4)])).toEqual({ prefix: h(0), ahead: [w(2, 4)] });
    expect(advancePrefix(h(0), [w(2, 4), w(0, 2)])).toEqual({ prefix: h(4), ahead: [] });
    expect(advancePrefix(h(0), [w(6, 8), w(0, 2), w(2, 4)])).toEqual({ prefix: h(4), ahead: [w(6, 8)] });
    // Windows the prefix already passed (a later start date) are dropped; one it is inside of moves it.
    expect(advancePrefix(h(5), [w(0, 2), w(4, 6), w(8, 9)])).toEqual({ prefix: h(6), ahead: [w(8, 9)] });
  });

  it('hands out fresh windows around those done or in flight', () => {
    expect(nextFreshWindow(h(0), h(10), 4, [])).toEqual(w(0, 4));
    expect(nextFreshWindow(h(0), h(10), 4, [w(0, 2)])).toEqual(w(2, 6));
    expect(nextFreshWindow(h(0), h(10), 4, [w(3, 5)])).toEqual(w(0, 3));
    expect(nextFreshWindow(h(0), h(10), 4, [w(0, 2), w(2, 4), w(8, 9)])).toEqual(w(4, 8));
    expect(nextFreshWindow(h(8), h(10), 4, [w(8, 10)])).toBeNull();
  });

  it('gives each binding its share of the capture concurrent requests, never below one', () => {
    const nine = [
      'Feature',
      'Guide',
      'Page',
      'Report',
      'PageEvents',
      'FeatureEvents',
      'TrackEvents',
      'GuideEvents',
      'PollEvents',
    ] as const;
    const budget = { ...limits, backfillConcurrency: 4, concurrentRequests: 24 };
    // 4 snapshot bindings hold 4 requests; 20 left for 5 event bindings: 4 each.
    expect(windowSlots(budget, [...nine])).toBe(4);
    expect(windowSlots({ ...budget, concurrentRequests: 14 }, [...nine])).toBe(2);
    expect(windowSlots({ ...budget, concurrentRequests: 4 }, [...nine])).toBe(1);
    expect(windowSlots({ ...budget, backfillConcurrency: 8 }, ['PageEvents'])).toBe(8);
    // Settings from before concurrent windows read one at a time.
    expect(windowSlots(limits, ['PageEvents'])).toBe(1);
  });
});
