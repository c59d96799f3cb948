import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type {
  BindingSpec,
  CaptureLimits,
  CaptureSettings,
  CaptureSpec,
  LateDataSettings,
} from '../workflows/capture/types';
import {
  DEFAULT_BACKFILL_CONCURRENCY,
  DEFAULT_REQUEST_BUDGET,
  DEFAULT_SHRINK_GUARD,
  LATEST_START_AHEAD_MS,
} from '../workflows/capture/bounds';
import type { ReconfigureArgs, SettingsPatch } from '../workflows/capture/messages';
import { nameProblem } from '../workflows/common/names';
import { DAY, HOUR } from '../workflows/common/time';
import { RESOURCE_NAMES, type ResourceName } from '../resources';
import {
  type BindingConfig,
  type EndpointConfig,
  EstuaryCapturesSchema,
  type LateDataConfig,
  NativeCaptureSchema,
} from './capture-schema';

const DEFAULT_INTERVAL_MS = 5 * 60_000;
const DEFAULT_LIMITS: CaptureLimits = {
  incrementalLimit: 1000,
  backfillLimit: 50_000,
  windowHours: 24,
  requestTimeoutMs: 300_000,
  shrinkGuard: DEFAULT_SHRINK_GUARD,
  backfillConcurrency: DEFAULT_BACKFILL_CONCURRENCY,
  ...DEFAULT_REQUEST_BUDGET,
};
const DEFAULT_LATE_DATA: LateDataSettings = {
  mode: 'rescan',
  processingDelayMs: 15 * 60_000,
  rescanWindowMs: 24 * HOUR,
  rescanEveryMs: HOUR,
  settleDelayMs: 8 * HOUR,
};

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

/**
 * One capture of a file:
 * - `spec`: what `start` runs, with every default filled in.
 * - `changes`: only what the file states, for `reconfigure`; what it leaves out keeps its running value.
 * - `warnings`: legal but probably not meant, such as a start date in the future.
 */
export interface LoadedCapture {
  spec: CaptureSpec;
  changes: ReconfigureArgs;
  warnings: ConfigProblem[];
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
  return loadCaptures(file, now).map((c) => c.spec);
}

/** Like loadCaptureFile, with each capture's stated changes and warnings. */
export function loadCaptures(file: string, now = Date.now()): LoadedCapture[] {
  return parseCaptures(readConfigDocument(file), file, now);
}

export function parseCaptureDocument(doc: unknown, source: string, now = Date.now()): CaptureSpec[] {
  return parseCaptures(doc, source, now).map((c) => c.spec);
}

export function parseCaptures(doc: unknown, source: string, now = Date.now()): LoadedCapture[] {
  const problems: ConfigProblem[] = [];
  let loaded: LoadedCapture[];
  if (doc && typeof doc === 'object' && 'captures' in doc) {
    const parsed = EstuaryCapturesSchema.safeParse(doc);
    if (!parsed.success) throw new ConfigError(source, problemsOf(parsed.error));
    loaded = Object.entries(parsed.data.captures).map(([name, capture]) =>
      toCapture(
        { name, config: capture.endpoint.connector.config, bindings: capture.bindings, interval: capture.interval },
        { root: `captures.${name}.`, endpoint: `captures.${name}.endpoint.connector.config.` },
        now,
        problems,
      ),
    );
  } else {
    const parsed = NativeCaptureSchema.safeParse(doc);
    if (!parsed.success) throw new ConfigError(source, problemsOf(parsed.error));
    const { name, endpoint, bindings, interval, lateData } = parsed.data;
    loaded = [
      toCapture(
        { name, config: endpoint, bindings, interval, lateData },
        { root: '', endpoint: 'endpoint.' },
        now,
        problems,
      ),
    ];
  }
  if (problems.length) throw new ConfigError(source, problems);
  return loaded;
}

interface CaptureParts {
  name: string;
  config: EndpointConfig;
  bindings: BindingConfig[] | undefined;
  interval: number | undefined;
  lateData?: LateDataConfig;
}

/** Drops the fields that are undefined, and the objects left empty. */
function stated<Fields extends object>(fields: Fields): Partial<Fields> {
  const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length === 0;
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && !isEmpty(value)),
  ) as Partial<Fields>;
}

function toCapture(
  { name, config, bindings, interval, lateData }: CaptureParts,
  at: { root: string; endpoint: string },
  now: number,
  problems: ConfigProblem[],
): LoadedCapture {
  const warnings: ConfigProblem[] = [];
  const late = lateData ?? config.lateData ?? {};
  const advanced = config.advanced ?? {};
  const bindingIntervals = (bindings ?? []).flatMap((binding) =>
    typeof binding.resource === 'object' && binding.resource.interval !== undefined ? [binding.resource.interval] : [],
  );
  const patch: SettingsPatch = stated({
    startMs: config.startDate ? Date.parse(config.startDate) : undefined,
    // Estuary sets an interval per binding; one capture polls at the shortest of them.
    intervalMs: interval ?? config.interval ?? (bindingIntervals.length ? Math.min(...bindingIntervals) : undefined),
    limits: stated({
      incrementalLimit: advanced.incremental_limit,
      backfillLimit: advanced.backfill_limit,
      windowHours: advanced.window_hours,
      requestTimeoutMs: advanced.request_timeout,
      shrinkGuard: advanced.shrink_guard,
      backfillConcurrency: advanced.backfill_concurrency,
      requestsPerSecond: advanced.requests_per_second,
      concurrentRequests: advanced.concurrent_requests,
    }),
    lateData: stated({
      mode: late.mode,
      processingDelayMs: late.processingDelay,
      rescanWindowMs: late.rescanWindow,
      rescanEveryMs: late.rescanEvery,
      settleDelayMs: late.settleDelay,
    }),
  });
  if (patch.startMs !== undefined && patch.startMs > now) {
    const ahead = patch.startMs - now;
    const problem = {
      path: `${at.endpoint}startDate`,
      message: `is ${Math.ceil(ahead / DAY)} day(s) from now; nothing is captured before then`,
    };
    if (ahead > LATEST_START_AHEAD_MS) problems.push({ ...problem, message: `${problem.message} (more than a year)` });
    else warnings.push(problem);
  }
  const settings: CaptureSettings = {
    startMs: patch.startMs ?? Math.floor((now - HOUR) / 1000) * 1000,
    intervalMs: patch.intervalMs ?? DEFAULT_INTERVAL_MS,
    limits: { ...DEFAULT_LIMITS, ...patch.limits },
    lateData: { ...DEFAULT_LATE_DATA, ...patch.lateData },
  };
  const specs = toBindings(name, bindings, at.root, problems);
  const spec: CaptureSpec = {
    name,
    endpoint: { accessToken: config.credentials.access_token, host: config.host, baseUrl: config.baseUrl },
    settings,
    bindings: specs,
  };
  return { spec, changes: { ...(bindings ? { bindings: specs } : {}), settings: patch }, warnings };
}

/**
 * Bindings as given (every resource when a native file lists none). A resource bound twice, two bindings
 * writing one target, a default target that breaks the name rule, and no enabled binding are errors.
 */
function toBindings(
  capture: string,
  bindings: BindingConfig[] | undefined,
  root: string,
  problems: ConfigProblem[],
): BindingSpec[] {
  const listed = (bindings ?? RESOURCE_NAMES.map((resource) => ({ resource }))).map((binding, index) => ({
    binding,
    index,
  }));
  const enabled = listed.filter(({ binding }) => !('disable' in binding && binding.disable));
  if (enabled.length === 0) {
    problems.push({ path: `${root}bindings`, message: 'every binding is disabled; nothing would be captured' });
  }
  const byResource = new Map<ResourceName, number>();
  const byTarget = new Map<string, ResourceName>();
  const specs: BindingSpec[] = [];
  for (const { binding, index } of enabled) {
    const resource = (typeof binding.resource === 'string' ? binding.resource : binding.resource.name) as ResourceName;
    const given = 'target' in binding ? binding.target : undefined;
    const target = given || `${capture}/${resource}`;
    const path = bindings ? `${root}bindings.${index}` : `${root}name`;
    if (byResource.has(resource)) {
      problems.push({ path: `${root}bindings`, message: `lists ${resource} more than once` });
      continue;
    }
    byResource.set(resource, index);
    const problem = given ? undefined : nameProblem(target);
    if (problem) {
      const message = `the default target of ${resource}, <name>/${resource}, ${problem}; shorten the name or set a target`;
      problems.push({ path, message });
    }
    const other = byTarget.get(target);
    if (other) {
      problems.push({
        path: given ? `${path}.target` : path,
        message: `${resource} and ${other} both write to '${target}'; each binding needs its own target`,
      });
    }
    byTarget.set(target, resource);
    specs.push({ resource, target });
  }
  return specs;
}
