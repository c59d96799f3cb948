import { PendoErrorType } from '../workflows/common/errors';
import type { RequestBudget } from '../workflows/capture/types';
import { PendoError } from './errors';
import type { AggregationBody } from './requests';
import type { Row } from '../resources/registry';

type Batches = (body: AggregationBody) => AsyncGenerator<Row[]>;

/** How long one window waits, at least, between the starts of its requests, so its slot keeps to the budget. */
export function slotIntervalMs(budget: RequestBudget): number {
  return Math.ceil((1000 * budget.concurrentRequests) / budget.requestsPerSecond);
}

/**
 * Per worker: when each capture may send again after a 429. Every window of that capture on this worker waits it
 * out, so one 429 slows the capture here at once; the workflows carry it to the capture's other workers.
 */
export class CaptureCooldowns {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  note(capture: string, waitMs: number): void {
    const at = this.now() + waitMs;
    if (at > (this.until.get(capture) ?? 0)) this.until.set(capture, at);
  }

  /** How long a request of this capture must wait now (0 when it may go). */
  waitFor(capture: string): number {
    const at = this.until.get(capture);
    if (at === undefined) return 0;
    const wait = at - this.now();
    if (wait <= 0) this.until.delete(capture);
    return Math.max(0, wait);
  }
}

/** The wait a 429 without Retry-After imposes on the capture. */
export const DEFAULT_COOLDOWN_MS = 2000;

export interface PacedRequests {
  aggregateBatches: Batches;
  /** 429s this window met. */
  readonly throttled: number;
}

/**
 * Wraps one window's requests: each waits for the capture's cooldown on this worker and for its slot's interval
 * since the window's previous request; a 429 starts a cooldown for the whole capture before it goes up.
 */
export function pacedRequests(
  batches: Batches,
  opts: {
    capture: string;
    budget: RequestBudget;
    cooldowns: CaptureCooldowns;
    pause: (ms: number) => Promise<void>;
    now?: () => number;
  },
): PacedRequests {
  const now = opts.now ?? Date.now;
  const interval = slotIntervalMs(opts.budget);
  let lastStart = -Infinity;
  let throttled = 0;
  async function* aggregateBatches(body: AggregationBody): AsyncGenerator<Row[]> {
    for (;;) {
      const wait = Math.max(opts.cooldowns.waitFor(opts.capture), lastStart + interval - now());
      if (wait <= 0) break;
      await opts.pause(wait);
    }
    lastStart = now();
    try {
      yield* batches(body);
    } catch (err) {
      if (err instanceof PendoError && err.type === PendoErrorType.RateLimited) {
        throttled++;
        opts.cooldowns.note(opts.capture, err.retryAfterMs ?? DEFAULT_COOLDOWN_MS);
      }
      throw err;
    }
  }
  return {
    aggregateBatches,
    get throttled() {
      return throttled;
    },
  };
}
