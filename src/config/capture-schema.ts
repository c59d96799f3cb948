import { z } from 'zod';
import { RESOURCE_NAMES } from '../shared/resources';
import { formatDuration, parseDuration } from './durations';
import { HOST_URLS } from './regions';

const HOUR = 3_600_000;

/** A duration (`90s`, `5m`, `PT5M`, or seconds as a number) within bounds, parsed to milliseconds. */
function duration(min: number, max: number) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is not a duration; write for example 90s, 5m, 1h or PT5M` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${formatDuration(min)} and ${formatDuration(max)}` });
      return z.NEVER;
    }
    return ms;
  });
}

const limit = (fallback: number) =>
  z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(50_000, 'must be at most 50000')
    .default(fallback);

export const StartDateSchema = z
  .string()
  .regex(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    'must be a UTC time written YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-01-31T00:00:00Z',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date');

export const AdvancedSchema = z
  .object({
    incremental_limit: limit(1000),
    backfill_limit: limit(50_000),
    window_hours: z.number().int().min(1, 'must be at least 1').max(744, 'must be at most 744 (31 days)').default(24),
    request_timeout: duration(5_000, 30 * 60_000).default(300_000),
    // An hour or snapshot that would lose more than this share of its stored documents is read again first.
    shrink_guard: z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').default(0.5),
  })
  .loose();

export const LateDataSchema = z.object({
  mode: z.enum(['rescan', 'settledOnly']).default('rescan'),
  processingDelay: duration(0, 48 * HOUR).default(15 * 60_000),
  rescanWindow: duration(0, 30 * 24 * HOUR).default(24 * HOUR),
  rescanEvery: duration(1_000, 7 * 24 * HOUR).default(HOUR),
  settleDelay: duration(0, 7 * 24 * HOUR).default(8 * HOUR),
});

export const IntervalSchema = duration(1_000, 24 * HOUR);

/** Estuary's connector config, unchanged, plus pendoflow's optional `baseUrl`, `interval` and `lateData`. */
export const EndpointConfigSchema = z
  .object({
    credentials: z.object({ access_token: z.string().min(1, 'is required') }).loose(),
    startDate: StartDateSchema.optional(),
    host: z.enum(HOST_URLS, { message: `must be one of ${HOST_URLS.join(', ')}` }).optional(),
    baseUrl: z.url('must be a URL such as http://127.0.0.1:4010').optional(),
    advanced: AdvancedSchema.default(AdvancedSchema.parse({})),
    interval: IntervalSchema.optional(),
    lateData: LateDataSchema.optional(),
  })
  .loose();

const ResourceNameSchema = z.enum(RESOURCE_NAMES, { message: `must be one of ${RESOURCE_NAMES.join(', ')}` });

export const BindingSchema = z
  .object({
    resource: z.union([
      ResourceNameSchema,
      z.object({ name: ResourceNameSchema, interval: IntervalSchema.optional() }).loose(),
    ]),
    target: z.string().min(1).optional(),
    disable: z.boolean().optional(),
  })
  .loose();

/** pendoflow's own file: one capture. */
export const NativeCaptureSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'must start with a letter or digit and use only letters, digits, . _ / -'),
  endpoint: EndpointConfigSchema,
  bindings: z.array(BindingSchema).min(1, 'needs at least one binding').optional(),
  interval: IntervalSchema.optional(),
  lateData: LateDataSchema.optional(),
});

/** Estuary's capture spec file: `captures: {<name>: {endpoint: {connector: {config}}, bindings}}`. */
export const EstuaryCapturesSchema = z.object({
  captures: z.record(
    z.string(),
    z
      .object({
        endpoint: z.object({ connector: z.object({ config: EndpointConfigSchema }).loose() }).loose(),
        bindings: z.array(BindingSchema).min(1, 'needs at least one binding'),
        interval: IntervalSchema.optional(),
      })
      .loose(),
  ),
});

export type EndpointConfig = z.output<typeof EndpointConfigSchema>;
export type BindingConfig = z.output<typeof BindingSchema>;
export type LateDataConfig = z.output<typeof LateDataSchema>;
