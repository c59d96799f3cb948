import { ConfigError, parseCaptureDocument } from '../../../src/config/load';
import { EARLIEST_START_MS, LATEST_START_AHEAD_MS, SETTING_BOUNDS } from '../../../src/workflows/capture/bounds';
import { reconfigureRejection } from '../../../src/workflows/capture/reconfigure';
import type { SettingsPatch } from '../../../src/workflows/capture/messages';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One setting as a file writes it and as a `reconfigure` (signal or Update) sends it. */
interface Setting {
  name: string;
  file: (value: number | string) => Record<string, unknown>;
  signal: (value: number | string) => SettingsPatch;
  /** Values at and just past each edge. */
  edges: (number | string)[];
  /** The file says more about a start date too far ahead (how many days) than the workflow's own check does. */
  ownReasons?: true;
}

const advanced = (field: string) => (value: unknown) => ({ endpoint: { advanced: { [field]: value } } });
const late = (field: string) => (value: unknown) => ({ lateData: { [field]: value } });
const ms = (value: number | string) => `${value}ms`;
const startDate = (value: number | string) => ({
  endpoint: { startDate: new Date(value).toISOString().replace('.000Z', 'Z') },
});
// Whole seconds, as a start date is written.
const NOW = Math.floor(Date.now() / SECOND) * SECOND;
const around = ([min, max]: readonly [number, number], step = 1) => [min - step, min, max, max + step];

const SETTINGS: Setting[] = [
  {
    name: 'interval',
    file: (value) => ({ interval: ms(value) }),
    signal: (value) => ({ intervalMs: value as number }),
    edges: around(SETTING_BOUNDS.intervalMs),
  },
  {
    name: 'request timeout',
    file: (value) => advanced('request_timeout')(ms(value)),
    signal: (value) => ({ limits: { requestTimeoutMs: value as number } }),
    edges: around(SETTING_BOUNDS.requestTimeoutMs),
  },
  ...(['processingDelay', 'rescanWindow', 'rescanEvery', 'settleDelay'] as const).map((field) => ({
    name: `lateData.${field}`,
    file: (value: number | string) => late(field)(ms(value)),
    signal: (value: number | string) => ({ lateData: { [`${field}Ms`]: value as number } }),
    edges: around(SETTING_BOUNDS[`${field}Ms`]),
  })),
  ...(
    [
      ['incremental_limit', 'incrementalLimit'],
      ['backfill_limit', 'backfillLimit'],
      ['window_hours', 'windowHours'],
    ] as const
  ).map(([fileField, field]) => ({
    name: `advanced.${fileField}`,
    file: (value: number | string) => advanced(fileField)(value),
    signal: (value: number | string) => ({ limits: { [field]: value as number } }),
    edges: [...around(SETTING_BOUNDS[field]), SETTING_BOUNDS[field][0] + 0.5],
  })),
  {
    name: 'advanced.shrink_guard',
    file: (value) => advanced('shrink_guard')(value),
    signal: (value) => ({ limits: { shrinkGuard: value as number } }),
    edges: [-0.01, 0, 0.5, 1, 1.01],
  },
  {
    name: 'lateData.mode',
    file: (value) => late('mode')(value),
    signal: (value) => ({ lateData: { mode: value as 'rescan' } }),
    edges: ['rescan', 'settledOnly', 'sometimes'],
  },
  {
    name: 'startDate, from 2013',
    file: (value) => startDate(value),
    signal: (value) => ({ startMs: value as number }),
    edges: [EARLIEST_START_MS - SECOND, EARLIEST_START_MS],
  },
  {
    name: 'startDate, at most a year ahead',
    file: (value) => startDate(value),
    signal: (value) => ({ startMs: value as number }),
    edges: [NOW + LATEST_START_AHEAD_MS - HOUR, NOW + LATEST_START_AHEAD_MS + HOUR],
    ownReasons: true,
  },
];

function captureFile(parts: Record<string, unknown>): Record<string, unknown> {
  const { endpoint, ...rest } = parts as { endpoint?: Record<string, unknown> };
  return {
    name: 'acme',
    endpoint: { credentials: { access_token: 'env:PENDO_KEY' }, ...endpoint },
    bindings: [{ resource: 'Page' }],
    ...rest,
  };
}

/** 'accepted', or the reason the file is refused, without its path. */
function fileVerdict(setting: Setting, value: number | string): string {
  try {
    parseCaptureDocument(captureFile(setting.file(value)), 'acme.yaml');
    return 'accepted';
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((problem) => problem.message).join('; ');
  }
}

const [running] = parseCaptureDocument(captureFile({}), 'acme.yaml');

/** 'accepted', or the reason the reconfigure is refused, without its path: the one check of its signal and Update. */
function reconfigureVerdict(setting: Setting, value: number | string): string {
  if (!running) throw new Error('the base capture file did not load');
  const rejection = reconfigureRejection({ settings: setting.signal(value) }, running);
  return rejection === undefined ? 'accepted' : rejection.message.slice(rejection.message.indexOf(': ') + 2);
}

describe('issue 10: a capture file and a reconfigure (signal or Update) accept exactly the same setting values', () => {
  it.each(SETTINGS.map((setting) => [setting.name, setting] as const))('%s', (_name, setting) => {
    const verdicts = setting.edges.map((value) => {
      const file = fileVerdict(setting, value);
      const reconfigure = reconfigureVerdict(setting, value);
      const agree = (file === 'accepted') === (reconfigure === 'accepted');
      // A negative duration is not even written as one (`-1ms`): the file refuses it before any bound.
      const ownReason = setting.ownReasons || /is not a duration/.test(file);
      const same = agree && (file === 'accepted' || ownReason || file.endsWith(reconfigure));
      return { value, file, reconfigure, same };
    });
    // One rule: the same values accepted, and a refused one refused for the same reason (the file may quote it first).
    expect(verdicts.filter((v) => !v.same)).toEqual([]);
    // Each setting has values on both sides of its bounds, so the agreement is not two paths refusing everything.
    expect(verdicts.some((v) => v.file === 'accepted')).toBe(true);
    expect(verdicts.some((v) => v.file !== 'accepted')).toBe(true);
  });

  it('has the bounds the README states for request timeout, interval and processing delay', () => {
    expect(SETTING_BOUNDS.requestTimeoutMs).toEqual([5 * SECOND, 30 * MINUTE]);
    expect(SETTING_BOUNDS.intervalMs).toEqual([SECOND, DAY]);
    expect(SETTING_BOUNDS.processingDelayMs).toEqual([0, 48 * HOUR]);
  });
});
