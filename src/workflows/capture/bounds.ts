import { DAY, HOUR, MINUTE, SECOND } from '../common/time';

/**
 * The bounds of every capture setting, in milliseconds or counts. The file schema (zod, src/config) and the
 * `reconfigure` signal validator (src/workflows/capture/reconfigure-schema.ts) both read them from here, so a value one
 * accepts the other accepts too.
 */

export type Bounds = readonly [min: number, max: number];

export const SETTING_BOUNDS = {
  intervalMs: [SECOND, DAY],
  incrementalLimit: [1, 50_000],
  backfillLimit: [1, 50_000],
  windowHours: [1, 744],
  requestTimeoutMs: [5 * SECOND, 30 * MINUTE],
  processingDelayMs: [0, 48 * HOUR],
  rescanWindowMs: [0, 30 * DAY],
  rescanEveryMs: [SECOND, 7 * DAY],
  settleDelayMs: [0, 7 * DAY],
  backfillConcurrency: [1, 32],
  requestsPerSecond: [1, 1000],
  concurrentRequests: [1, 256],
} as const satisfies Record<string, Bounds>;

/** Windows a binding reads at once, unless the config says otherwise; chosen by `npm run bench:capture`. */
export const DEFAULT_BACKFILL_CONCURRENCY = 4;
/** A capture's request budget unless the config says otherwise: well under the 100 calls/s reported of Pendo. */
export const DEFAULT_REQUEST_BUDGET = { requestsPerSecond: 20, concurrentRequests: 24 } as const;

/** The share of an hour's or a snapshot's stored documents it may lose before it is read again (0 to 1). */
export const DEFAULT_SHRINK_GUARD = 0.5;

/** Pendo holds no data from before 2013, its first year; an earlier start date is a typo. */
export const EARLIEST_START_MS = Date.UTC(2013, 0, 1);
/** A start date further ahead than this captures nothing for over a year: surely a typo. */
export const LATEST_START_AHEAD_MS = 366 * DAY;

/** The largest `reconfigure` argument, as JSON; a bigger one is refused before anything of it is kept. */
export const MAX_SIGNAL_BYTES = 64 * 1024;
