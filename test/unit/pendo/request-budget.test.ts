import { PendoError } from '../../../src/pendo/errors';
import {
  CaptureCooldowns,
  DEFAULT_COOLDOWN_MS,
  pacedRequests,
  slotIntervalMs,
} from '../../../src/pendo/request-budget';
import type { AggregationBody } from '../../../src/pendo/requests';
import { PendoErrorType } from '../../../src/workflows/common/errors';

function clock() {
  let nowMs = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => nowMs,
    advance: (ms: number) => void (nowMs += ms),
    pause: async (ms: number) => {
      waits.push(ms);
      nowMs += ms;
    },
  };
}

const body = {} as AggregationBody;
async function drain(gen: AsyncGenerator<unknown>): Promise<void> {
  for await (const _ of gen);
}

describe('issue 13: a window keeps to its slot of the capture request budget', () => {
  it('spaces a window’s requests by its slot of the rate', async () => {
    expect(slotIntervalMs({ requestsPerSecond: 20, concurrentRequests: 24 })).toBe(1200);
    const c = clock();
    const cooldowns = new CaptureCooldowns(c.now);
    const budget = { requestsPerSecond: 10, concurrentRequests: 5 };
    const paced = pacedRequests(
      async function* () {
        c.advance(100);
        yield [];
      },
      { capture: 'a', budget, cooldowns, pause: c.pause, now: c.now },
    );
    await drain(paced.aggregateBatches(body));
    await drain(paced.aggregateBatches(body));
    await drain(paced.aggregateBatches(body));
    // 5 slots share 10 requests/s: each slot starts a request at most every 500 ms; each took 100 ms.
    expect(c.waits).toEqual([400, 400]);
  });

  it('a 429 makes every window of that capture on this worker wait, and only that capture', async () => {
    const c = clock();
    const cooldowns = new CaptureCooldowns(c.now);
    const budget = { requestsPerSecond: 1000, concurrentRequests: 1 };
    const limited = pacedRequests(
      // eslint-disable-next-line require-yield
      async function* () {
        throw new PendoError(PendoErrorType.RateLimited, 'slow down', 429, 3000);
      },
      { capture: 'a', budget, cooldowns, pause: c.pause, now: c.now },
    );
    await expect(drain(limited.aggregateBatches(body))).rejects.toThrow('slow down');
    expect(limited.throttled).toBe(1);
    const sibling = pacedRequests(async function* () {}, {
      capture: 'a',
      budget,
      cooldowns,
      pause: c.pause,
      now: c.now,
    });
    const other = pacedRequests(async function* () {}, { capture: 'b', budget, cooldowns, pause: c.pause, now: c.now });
    await drain(other.aggregateBatches(body));
    expect(c.waits).toEqual([]);
    await drain(sibling.aggregateBatches(body));
    expect(c.waits).toEqual([3000]);
    const noHeader = new CaptureCooldowns(c.now);
    const bare = pacedRequests(
      // eslint-disable-next-line require-yield
      async function* () {
        throw new PendoError(PendoErrorType.RateLimited, 'slow down', 429);
      },
      { capture: 'a', budget, cooldowns: noHeader, pause: c.pause, now: c.now },
    );
    await expect(drain(bare.aggregateBatches(body))).rejects.toThrow();
    expect(noHeader.waitFor('a')).toBe(DEFAULT_COOLDOWN_MS);
  });
});
