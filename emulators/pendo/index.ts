/** Public entry of the Pendo API emulator: start a seeded, faithful Pendo API on 127.0.0.1. */
import type { AddressInfo } from 'node:net';
import { deriveKeys, KeyRing, type Region } from './auth';
import { Load, Stats, type EmulatorContext } from './context';
import { Dataset } from './data/generator';
import type { HotSpots } from './data/people-rows';
import { Rng } from './data/random';
import { assertTimezone } from './aggregation/timezone';
import { FaultInjector, parseFaultSpec } from './faults';
import { LatencyModel, parseLatencySpec } from './latency';
import { createEmulatorServer } from './server';

export type { Region } from './auth';
export { REGIONS } from './auth';
export { parseFaultSpec, type FaultSpec } from './faults';
export { REALISTIC_LATENCY } from './latency';

export interface PendoEmulatorOptions {
  /** 0 or undefined = a random free port. */
  port?: number;
  /** Address to bind (default 127.0.0.1; 0.0.0.0 in a container). */
  host?: string;
  /** Default 1. */
  seed?: number;
  /** The valid integration key; default derived from the seed, `<uuid>.us`. Its suffix names its region. */
  key?: string;
  /** Fault spec, e.g. `5xx=0.2,429=0.1,429-retry-after=0.1,reset=0.05,slow=0.05:3000,burst429=3`. */
  faults?: string;
  /** Latency spec, e.g. `aggregation=2000:25000,list=500:5000` or `realistic` (default off). */
  latency?: string;
  /** Multiplier of rows per hour per source (default 1). */
  volume?: number;
  /** Events exist for hours starting at or after this (default: now − 7 days, floored to the hour). */
  dataStartMs?: number;
  /** Fraction of aggregate rows and raw events that become visible late (default 0.1). */
  lateFraction?: number;
  /** Late visibility delay after the hour ends (default [4 h, 6 h]). */
  lateDelayMs?: [number, number];
  /** Normal visibility delay after the hour ends, when the in-progress hour is hidden (default [0, 15 min]). */
  processingDelayMs?: [number, number];
  /** Whether the in-progress hour is visible, growing (default true). */
  showCurrentHour?: boolean;
  /** Metadata objects are modified, deleted and created every this many ms (default 0 = off). */
  mutateEveryMs?: number;
  /** Aggregations scanning more source rows than this fail as "too large" (default Infinity). */
  rowBudget?: number;
  /** Rows of sorted event windows kept between pages, so a page costs O(page) (default 1,200,000; 0 = off). */
  windowCacheRows?: number;
  /** How dense timestamp hot spots are: `realistic` (default) or `stress` (more than 1000 rows at one ms). */
  hotSpots?: HotSpots;
  /** Visitors beyond the 200 seeded ones, for volume tests (default 0). */
  extraVisitors?: number;
  /** Status for a key used on another region's host (default 400, as Pendo answers). */
  wrongRegionStatus?: number;
  /** `GET /metadata/schema/<unknown>`: `empty` answers 200 `{}` (default), `not-found` answers 404. */
  unknownSchema?: 'empty' | 'not-found';
  /** Subscription time zone (default America/New_York). */
  timezone?: string;
  /** Clock (default Date.now). */
  now?: () => number;
}

export interface RunningPendoEmulator {
  /** `http://127.0.0.1:PORT`, the US base; other regions are path prefixes (`/eu`, `/jpn`, ...). */
  url: string;
  port: number;
  key: string;
  keys: Record<Region, string>;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

function range(name: string, value: [number, number] | undefined, fallback: [number, number]): [number, number] {
  const [lo, hi] = value ?? fallback;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || hi < lo) {
    throw new Error(`${name} must be [min, max] with 0 <= min <= max`);
  }
  return [Math.round(lo), Math.round(hi)];
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (Number.isNaN(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
}

function hotSpots(value: string | undefined): HotSpots {
  const mode = value ?? 'realistic';
  if (mode !== 'realistic' && mode !== 'stress') throw new Error("hotSpots must be 'realistic' or 'stress'");
  return mode;
}

function wholeNumber(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${name} must be a whole number`);
  return v;
}

/** Builds the shared context from options, validating every one of them. */
export function createEmulatorContext(opts: PendoEmulatorOptions = {}): EmulatorContext {
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new Error('seed must be an integer');
  const now = opts.now ?? Date.now;
  const timezone = opts.timezone ?? 'America/New_York';
  try {
    assertTimezone(timezone);
  } catch {
    throw new Error(`unknown time zone ${timezone}`);
  }
  const lateFraction = nonNegative('lateFraction', opts.lateFraction, 0.1);
  if (lateFraction > 1) throw new Error('lateFraction must be in [0, 1]');
  const volume = nonNegative('volume', opts.volume, 1);
  if (!Number.isFinite(volume)) throw new Error('volume must be finite');
  const startMs = now();
  const dataStartMs = opts.dataStartMs ?? Math.floor((startMs - 7 * 24 * HOUR) / HOUR) * HOUR;
  const { keys } = deriveKeys(seed, opts.key);
  const dataset = new Dataset({
    seed,
    volume,
    lateFraction,
    lateDelayMs: range('lateDelayMs', opts.lateDelayMs, [4 * HOUR, 6 * HOUR]),
    processingDelayMs: range('processingDelayMs', opts.processingDelayMs, [0, 15 * 60_000]),
    showCurrentHour: opts.showCurrentHour ?? true,
    timezone,
    dataStartMs,
    mutateEveryMs: nonNegative('mutateEveryMs', opts.mutateEveryMs, 0),
    startMs,
    windowCacheRows: opts.windowCacheRows,
    hotSpots: hotSpots(opts.hotSpots),
    extraVisitors: wholeNumber('extraVisitors', opts.extraVisitors, 0),
  });
  const wrongRegionStatus = opts.wrongRegionStatus ?? 400;
  if (!Number.isInteger(wrongRegionStatus) || wrongRegionStatus < 400 || wrongRegionStatus > 599) {
    throw new Error('wrongRegionStatus must be an HTTP error status (400-599)');
  }
  const unknownSchema = opts.unknownSchema ?? 'empty';
  if (unknownSchema !== 'empty' && unknownSchema !== 'not-found') {
    throw new Error("unknownSchema must be 'empty' or 'not-found'");
  }
  return {
    seed,
    subscriptionId: String(5_000_000_000_000_000 + Rng.of(seed, 'subscription').int(1e12)),
    timezone,
    dataStartMs,
    rowBudget: nonNegative('rowBudget', opts.rowBudget, Infinity),
    now,
    dataset,
    keyRing: new KeyRing(keys, wrongRegionStatus),
    keys,
    faults: new FaultInjector(seed, parseFaultSpec(opts.faults ?? '')),
    latency: new LatencyModel(parseLatencySpec(opts.latency ?? '')),
    stats: new Stats(),
    unknownSchema,
    load: new Load(),
  };
}

/** Starts the emulator and resolves once it listens. */
export async function startPendoEmulator(opts: PendoEmulatorOptions = {}): Promise<RunningPendoEmulator> {
  const ctx = createEmulatorContext(opts);
  const key = opts.key ?? ctx.keys.us;
  const server = createEmulatorServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    key,
    keys: ctx.keys,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
