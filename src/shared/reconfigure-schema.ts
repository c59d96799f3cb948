import { RESOURCE_NAMES } from './resources';
import { list, object, oneOf, share, text, whole } from './validate';

/** Validates a `reconfigure` signal inside the workflow; a bad one is rejected and changes nothing. */
export const ReconfigureArgsSchema = object({
  bindings: list(
    object({ resource: oneOf(RESOURCE_NAMES), target: text({ min: 1 }) }, { required: ['resource', 'target'] }),
    {
      min: 1,
      rules: [[(b) => new Set(b.map((x) => x.resource)).size === b.length, 'lists a resource twice']],
    },
  ),
  settings: object({
    startMs: whole(0),
    intervalMs: whole(1000),
    limits: object({
      incrementalLimit: whole(1, 50_000),
      backfillLimit: whole(1, 50_000),
      windowHours: whole(1, 744),
      requestTimeoutMs: whole(1000),
      shrinkGuard: share(),
    }),
    lateData: object({
      mode: oneOf(['rescan', 'settledOnly'] as const),
      processingDelayMs: whole(0),
      rescanWindowMs: whole(0),
      rescanEveryMs: whole(1000),
      settleDelayMs: whole(0),
    }),
  }),
  reason: text(),
  description: text(),
});
