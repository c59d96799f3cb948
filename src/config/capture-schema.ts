import { z } from 'zod';
import { SETTING_RULES } from '../workflows/capture/bounds';
import type { Schema } from '../workflows/common/validate';
import { unknownNameMessage } from './closest';
import { nameProblem } from '../workflows/common/names';
import { RESOURCE_NAMES } from '../resources';
import { parseDuration } from './durations';
import { HOST_URLS } from './regions';
import { checked, sameRules } from './workflow-rules';

/**
 * A duration (`90s`, `5m`, `PT5M`, or seconds as a number), parsed to whole milliseconds and then checked with the
 * workflow's rule for the setting (src/workflows/capture/bounds.ts).
 */
function duration(rule: Schema<number>) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const parsed = parseDuration(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is not a duration; write for example 90s, 5m, 1h or PT5M` });
      return z.NEVER;
    }
    return checked(rule, Math.round(parsed), ctx);
  });
}

/** A capture name or binding target: see src/workflows/common/names.ts. */
export const NameSchema = z.string().superRefine((s, ctx) => {
  const problem = nameProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const START_FORMAT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** A real UTC instant, exactly as written (no rollover of 2026-02-30), from Pendo's first year on. */
export const StartDateSchema = z.string().superRefine((s, ctx) => {
  const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
  if (!START_FORMAT.test(s)) return fail('must be a UTC time written YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-01-31T00:00:00Z');
  const ms = Date.parse(s);
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== s.replace('Z', '.000Z')) {
    return fail(`'${s}' is not a real date and time`);
  }
  const earliest = SETTING_RULES.startMs.safeParse(ms);
  if (!earliest.success) fail(`'${s}' ${earliest.error.issues.map((issue) => issue.message).join('; ')}`);
});

/** Absent fields stay absent here: src/config/load.ts fills in defaults, and `reconfigure` sends only what is set. */
export const AdvancedSchema = z
  .object({
    incremental_limit: sameRules(SETTING_RULES.incrementalLimit).optional(),
    backfill_limit: sameRules(SETTING_RULES.backfillLimit).optional(),
    window_hours: sameRules(SETTING_RULES.windowHours).optional(),
    request_timeout: duration(SETTING_RULES.requestTimeoutMs).optional(),
    // An hour or snapshot that would lose more than this share of its stored documents is read again first.
    shrink_guard: sameRules(SETTING_RULES.shrinkGuard).optional(),
    // Windows a binding reads at once; and the capture's request budget over all its bindings and workers.
    backfill_concurrency: sameRules(SETTING_RULES.backfillConcurrency).optional(),
    requests_per_second: sameRules(SETTING_RULES.requestsPerSecond).optional(),
    concurrent_requests: sameRules(SETTING_RULES.concurrentRequests).optional(),
  })
  .loose();

export const LateDataSchema = z.object({
  mode: sameRules(SETTING_RULES.mode).optional(),
  processingDelay: duration(SETTING_RULES.processingDelayMs).optional(),
  rescanWindow: duration(SETTING_RULES.rescanWindowMs).optional(),
  rescanEvery: duration(SETTING_RULES.rescanEveryMs).optional(),
  settleDelay: duration(SETTING_RULES.settleDelayMs).optional(),
});

export const IntervalSchema = duration(SETTING_RULES.intervalMs);

/** Estuary's connector config, unchanged, plus pendoflow's optional `baseUrl`, `interval` and `lateData`. */
export const EndpointConfigSchema = z
  .object({
    credentials: z.object({ access_token: z.string().min(1, 'is required') }).loose(),
    startDate: StartDateSchema.optional(),
    host: z.enum(HOST_URLS, { message: `must be one of ${HOST_URLS.join(', ')}` }).optional(),
    baseUrl: z.url('must be a URL such as http://127.0.0.1:4010').optional(),
    advanced: AdvancedSchema.optional(),
    interval: IntervalSchema.optional(),
    lateData: LateDataSchema.optional(),
  })
  .loose();

const ResourceNameSchema = z.string().superRefine((s, ctx) => {
  if (!(RESOURCE_NAMES as readonly string[]).includes(s)) {
    ctx.addIssue({ code: 'custom', message: unknownNameMessage(s, 'a Pendo resource', RESOURCE_NAMES) });
  }
});

export const BindingSchema = z
  .object({
    resource: z.union([
      ResourceNameSchema,
      z.object({ name: ResourceNameSchema, interval: IntervalSchema.optional() }).loose(),
    ]),
    target: NameSchema.optional(),
    disable: z.boolean().optional(),
  })
  .loose();

/** pendoflow's own file: one capture. */
export const NativeCaptureSchema = z.object({
  name: NameSchema,
  endpoint: EndpointConfigSchema,
  bindings: z.array(BindingSchema).min(1, 'needs at least one binding').optional(),
  interval: IntervalSchema.optional(),
  lateData: LateDataSchema.optional(),
});

/** Estuary's capture spec file: `captures: {<name>: {endpoint: {connector: {config}}, bindings}}`. */
export const EstuaryCapturesSchema = z.object({
  captures: z
    .record(
      z.string(),
      z
        .object({
          endpoint: z.object({ connector: z.object({ config: EndpointConfigSchema }).loose() }).loose(),
          bindings: z.array(BindingSchema).min(1, 'needs at least one binding'),
          interval: IntervalSchema.optional(),
        })
        .loose(),
    )
    .superRefine((captures, ctx) => {
      const names = Object.keys(captures);
      if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no capture; nothing would be captured' });
      for (const name of names) {
        const problem = nameProblem(name);
        if (problem) ctx.addIssue({ code: 'custom', path: [name], message: `capture name ${problem}` });
      }
    }),
});

export type EndpointConfig = z.output<typeof EndpointConfigSchema>;
export type BindingConfig = z.output<typeof BindingSchema>;
export type LateDataConfig = z.output<typeof LateDataSchema>;
