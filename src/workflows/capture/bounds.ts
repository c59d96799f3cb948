import { DAY, HOUR, MINUTE, SECOND } from '../common/time';
import { instant, millis, oneOf, share, whole } from '../common/validate';

/**
 * The bounds of every capture setting, in milliseconds or counts, and the one check of each (SETTING_RULES). The
 * `reconfigure` signal and Update (reconfigure-schema.ts) are checked with these rules, and the file schema
 * (src/config/capture-schema.ts) wraps them, so a file, a signal and an Update accept exactly the same values.
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

/** Pendo holds no data from before 2013, its first year; an earlier start date is a typo. */
export const EARLIEST_START_MS = Date.UTC(2013, 0, 1);

/** Each setting's check, in the units the workflow keeps (milliseconds, counts); the file converts to these first. */
export const SETTING_RULES = {
  startMs: instant(EARLIEST_START_MS, 'Pendo holds no data that old'),
  intervalMs: millis(...SETTING_BOUNDS.intervalMs),
  incrementalLimit: whole(...SETTING_BOUNDS.incrementalLimit),
  backfillLimit: whole(...SETTING_BOUNDS.backfillLimit),
  windowHours: whole(...SETTING_BOUNDS.windowHours),
  requestTimeoutMs: millis(...SETTING_BOUNDS.requestTimeoutMs),
  shrinkGuard: share(),
  backfillConcurrency: whole(...SETTING_BOUNDS.backfillConcurrency),
  requestsPerSecond: whole(...SETTING_BOUNDS.requestsPerSecond),
  concurrentRequests: whole(...SETTING_BOUNDS.concurrentRequests),
  mode: oneOf(['rescan', 'settledOnly'] as const),
  processingDelayMs: millis(...SETTING_BOUNDS.processingDelayMs),
  rescanWindowMs: millis(...SETTING_BOUNDS.rescanWindowMs),
  rescanEveryMs: millis(...SETTING_BOUNDS.rescanEveryMs),
  settleDelayMs: millis(...SETTING_BOUNDS.settleDelayMs),
};

/** The share of an hour's or a snapshot's stored documents it may lose before it is read again (0 to 1). */
export const DEFAULT_SHRINK_GUARD = 0.5;

/** A start date further ahead than this captures nothing for over a year: surely a typo. */
export const LATEST_START_AHEAD_MS = 366 * DAY;

/** The largest `reconfigure` argument, as JSON; a bigger one is refused before anything of it is kept. */
export const MAX_SIGNAL_BYTES = 64 * 1024;
