import { LATEST_START_AHEAD_MS, SETTING_RULES as RULES } from './bounds';
import { nameProblem } from '../common/names';
import { RESOURCE_NAMES } from '../../resources';
import { list, object, oneOf, text } from '../common/validate';

/**
 * Validates a `reconfigure` signal inside the workflow; a bad one is rejected and changes nothing. Each setting has
 * the one rule of bounds.ts, which the file schema wraps too; the start date may be at most a year ahead of workflow
 * time.
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
      startMs: RULES.startMs,
      intervalMs: RULES.intervalMs,
      limits: object({
        incrementalLimit: RULES.incrementalLimit,
        backfillLimit: RULES.backfillLimit,
        windowHours: RULES.windowHours,
        requestTimeoutMs: RULES.requestTimeoutMs,
        shrinkGuard: RULES.shrinkGuard,
        backfillConcurrency: RULES.backfillConcurrency,
        requestsPerSecond: RULES.requestsPerSecond,
        concurrentRequests: RULES.concurrentRequests,
      }),
      lateData: object({
        mode: RULES.mode,
        processingDelayMs: RULES.processingDelayMs,
        rescanWindowMs: RULES.rescanWindowMs,
        rescanEveryMs: RULES.rescanEveryMs,
        settleDelayMs: RULES.settleDelayMs,
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
