import { z } from 'zod';
import { type Bounds, EARLIEST_START_MS, SETTING_BOUNDS } from '../workflows/capture/bounds';
import { unknownNameMessage } from './closest';
import { nameProblem } from '../workflows/common/names';
import { RESOURCE_NAMES } from '../resources';
import { formatDuration, parseDuration } from './durations';
import { HOST_URLS } from './regions';

/** A duration (`90s`, `5m`, `PT5M`, or seconds as a number) within bounds, parsed to whole milliseconds. */
function duration([min, max]: Bounds) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const parsed = parseDuration(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is not a duration; write for example 90s, 5m, 1h or PT5M` });
      return z.NEVER;
    }
    const ms = Math.round(parsed);
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${formatDuration(min)} and ${formatDuration(max)}` });
      return z.NEVER;
    }
    return ms;
  });
}

const limit = ([min, max]: Bounds) =>
  z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

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
  if (ms < EARLIEST_START_MS) {
    fail(`'${s}' is before ${new Date(EARLIEST_START_MS).toISOString()}; Pendo holds no data that old`);
  }
});

/** Absent fields stay absent here: src/config/load.ts fills in defaults, and `reconfigure` sends only what is set. */
export const AdvancedSchema = z
  .object({
    incremental_limit: limit(SETTING_BOUNDS.incrementalLimit).optional(),
    backfill_limit: limit(SETTING_BOUNDS.backfillLimit).optional(),
    window_hours: limit(SETTING_BOUNDS.windowHours).optional(),
    request_timeout: duration(SETTING_BOUNDS.requestTimeoutMs).optional(),
    // An hour or snapshot that would lose more than this share of its stored documents is read again first.
    shrink_guard: z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
    // Windows a binding reads at once; and the capture's request budget over all its bindings and workers.
    backfill_concurrency: limit(SETTING_BOUNDS.backfillConcurrency).optional(),
    requests_per_second: limit(SETTING_BOUNDS.requestsPerSecond).optional(),
    concurrent_requests: limit(SETTING_BOUNDS.concurrentRequests).optional(),
  })
  .loose();

export const LateDataSchema = z.object({
  mode: z.enum(['rescan', 'settledOnly']).optional(),
  processingDelay: duration(SETTING_BOUNDS.processingDelayMs).optional(),
  rescanWindow: duration(SETTING_BOUNDS.rescanWindowMs).optional(),
  rescanEvery: duration(SETTING_BOUNDS.rescanEveryMs).optional(),
  settleDelay: duration(SETTING_BOUNDS.settleDelayMs).optional(),
});

export const IntervalSchema = duration(SETTING_BOUNDS.intervalMs);

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
