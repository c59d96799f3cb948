import { z } from 'zod';
import type { Schema } from '../workflows/common/validate';

/**
 * A zod schema that checks with the rules a workflow checks its signals and Updates with, reporting each problem at
 * its path within the file; so a file and a message accept the same values, for the same reasons.
 */
export function sameRules<T>(rules: Schema<T>) {
  return z.unknown().transform((value, ctx) => checked(rules, value, ctx));
}

/** Runs the workflow's rules on a value the file schema has already converted (a duration to milliseconds, say). */
export function checked<T>(rules: Schema<T>, value: unknown, ctx: z.RefinementCtx): T {
  const result = rules.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
}
