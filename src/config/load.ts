import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { BindingSpec, CaptureSettings, CaptureSpec } from '../shared/capture-types';
import { RESOURCE_NAMES } from '../shared/resources';
import {
  type BindingConfig,
  type EndpointConfig,
  EstuaryCapturesSchema,
  LateDataSchema,
  type LateDataConfig,
  NativeCaptureSchema,
} from './capture-schema';

const DEFAULT_INTERVAL_MS = 5 * 60_000;
const HOUR = 3_600_000;

export interface ConfigProblem {
  path: string;
  message: string;
}

/** Bad configuration: every problem, each with the path where it was found. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source}: ${problems.length} problem(s)\n` + problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'));
  }
}

function problemsOf(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(top level)',
    message: issue.message,
  }));
}

/** Reads a YAML or JSON file into plain data; a bad file names its line. */
export function readConfigDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? '?'}`, message: e.message.split('\n')[0] ?? '' })),
    );
  }
  return doc.toJS();
}

/** Parses a YAML or JSON capture file (pendoflow's own format or Estuary's capture spec) into validated captures. */
export function loadCaptureFile(file: string, now = Date.now()): CaptureSpec[] {
  return parseCaptureDocument(readConfigDocument(file), file, now);
}

export function parseCaptureDocument(doc: unknown, source: string, now = Date.now()): CaptureSpec[] {
  if (doc && typeof doc === 'object' && 'captures' in doc) {
    const parsed = EstuaryCapturesSchema.safeParse(doc);
    if (!parsed.success) throw new ConfigError(source, problemsOf(parsed.error));
    return Object.entries(parsed.data.captures).map(([name, capture]) =>
      toCaptureSpec(name, capture.endpoint.connector.config, capture.bindings, capture.interval, undefined, now),
    );
  }
  const parsed = NativeCaptureSchema.safeParse(doc);
  if (!parsed.success) throw new ConfigError(source, problemsOf(parsed.error));
  const { name, endpoint, bindings, interval, lateData } = parsed.data;
  return [toCaptureSpec(name, endpoint, bindings, interval, lateData, now)];
}

function toCaptureSpec(
  name: string,
  config: EndpointConfig,
  bindings: BindingConfig[] | undefined,
  interval: number | undefined,
  lateData: LateDataConfig | undefined,
  now: number,
): CaptureSpec {
  const late = lateData ?? config.lateData ?? LateDataSchema.parse({});
  const bindingIntervals = (bindings ?? []).flatMap((b) =>
    typeof b.resource === 'object' && b.resource.interval !== undefined ? [b.resource.interval] : [],
  );
  const settings: CaptureSettings = {
    startMs: config.startDate ? Date.parse(config.startDate) : Math.floor((now - HOUR) / 1000) * 1000,
    // Estuary sets an interval per binding; one capture polls at the shortest of them.
    intervalMs:
      interval ?? config.interval ?? (bindingIntervals.length ? Math.min(...bindingIntervals) : DEFAULT_INTERVAL_MS),
    limits: {
      incrementalLimit: config.advanced.incremental_limit,
      backfillLimit: config.advanced.backfill_limit,
      windowHours: config.advanced.window_hours,
      requestTimeoutMs: config.advanced.request_timeout,
      shrinkGuard: config.advanced.shrink_guard,
    },
    lateData: {
      mode: late.mode,
      processingDelayMs: late.processingDelay,
      rescanWindowMs: late.rescanWindow,
      rescanEveryMs: late.rescanEvery,
      settleDelayMs: late.settleDelay,
    },
  };
  return {
    name,
    endpoint: { accessToken: config.credentials.access_token, host: config.host, baseUrl: config.baseUrl },
    settings,
    bindings: toBindings(name, bindings),
  };
}

/** Bindings as given (every resource when a native file lists none); a resource bound twice is an error. */
function toBindings(capture: string, bindings: BindingConfig[] | undefined): BindingSpec[] {
  const specs = (bindings ?? RESOURCE_NAMES.map((resource) => ({ resource })))
    .filter((b) => !('disable' in b && b.disable))
    .map((b) => {
      const resource = typeof b.resource === 'string' ? b.resource : b.resource.name;
      return { resource, target: ('target' in b && b.target) || `${capture}/${resource}` };
    });
  const twice = specs.find((b, i) => specs.findIndex((o) => o.resource === b.resource) !== i);
  if (twice) throw new ConfigError(capture, [{ path: 'bindings', message: `lists ${twice.resource} more than once` }]);
  return specs;
}
