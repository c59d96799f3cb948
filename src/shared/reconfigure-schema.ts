import { z } from 'zod';
import { RESOURCE_NAMES } from './resources';

const positive = z.number().int().positive();
const nonNegative = z.number().int().nonnegative();

/** Validates a `reconfigure` signal inside the workflow; a bad one is rejected and changes nothing. */
export const ReconfigureArgsSchema = z
  .object({
    bindings: z
      .array(z.object({ resource: z.enum(RESOURCE_NAMES), target: z.string().min(1) }))
      .min(1)
      .refine((b) => new Set(b.map((x) => x.resource)).size === b.length, 'lists a resource twice')
      .optional(),
    settings: z
      .object({
        startMs: nonNegative.optional(),
        intervalMs: z.number().int().min(1000).optional(),
        limits: z
          .object({
            incrementalLimit: positive.max(50_000).optional(),
            backfillLimit: positive.max(50_000).optional(),
            windowHours: positive.max(744).optional(),
            requestTimeoutMs: z.number().int().min(1000).optional(),
          })
          .strict()
          .optional(),
        lateData: z
          .object({
            mode: z.enum(['rescan', 'settledOnly']).optional(),
            processingDelayMs: nonNegative.optional(),
            rescanWindowMs: nonNegative.optional(),
            rescanEveryMs: z.number().int().min(1000).optional(),
            settleDelayMs: nonNegative.optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    reason: z.string().optional(),
    description: z.string().optional(),
  })
  .strict();
