import { EARLIEST_START_MS, LATEST_START_AHEAD_MS, SETTING_BOUNDS as B } from './bounds';
import { nameProblem } from '../common/names';
import { RESOURCE_NAMES } from '../../resources';
import { list, object, oneOf, share, text, whole } from '../common/validate';

/**
 * Validates a `reconfigure` signal inside the workflow; a bad one is rejected and changes nothing. The bounds are
 * the file schema's (src/workflows/capture/bounds.ts); the start date may be at most a year ahead of workflow time.
 */
export const ReconfigureArgsSchema = object({
  bindings: list(
    object(
      { resource: oneOf(RESOURCE_NAMES), target: text({ problem: nameProblem }) },
      { required: ['resource', 'target'] },
    ),
    {
      min: 1,
      rules: [
        [(b) => new Set(b.map((x) => x.resource)).size === b.length, 'lists a resource twice'],
        [(b) => new Set(b.map((x) => x.target)).size === b.length, 'has two bindings with one target'],
      ],
    },
  ),
  settings: object(
    {
      startMs: whole(EARLIEST_START_MS, Number.MAX_SAFE_INTEGER),
      intervalMs: whole(...B.intervalMs),
      limits: object({
        incrementalLimit: whole(...B.incrementalLimit),
        backfillLimit: whole(...B.backfillLimit),
        windowHours: whole(...B.windowHours),
        requestTimeoutMs: whole(...B.requestTimeoutMs),
        shrinkGuard: share(),
        backfillConcurrency: whole(...B.backfillConcurrency),
        requestsPerSecond: whole(...B.requestsPerSecond),
        concurrentRequests: whole(...B.concurrentRequests),
      }),
      lateData: object({
        mode: oneOf(['rescan', 'settledOnly'] as const),
        processingDelayMs: whole(...B.processingDelayMs),
        rescanWindowMs: whole(...B.rescanWindowMs),
        rescanEveryMs: whole(...B.rescanEveryMs),
        settleDelayMs: whole(...B.settleDelayMs),
      }),
    },
    {
      rules: [
        [
          (s) => s.startMs === undefined || s.startMs <= Date.now() + LATEST_START_AHEAD_MS,
          'startMs is more than a year ahead',
        ],
      ],
    },
  ),
  reason: text({ max: 1000 }),
  description: text({ max: 1000 }),
});
