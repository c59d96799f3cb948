/**
 * A latency model for /api/v1/*, so benchmarks can run at a Pendo-like pace. Off unless asked for.
 * Spec grammar (comma-separated, spaces ignored; "" or "off" = none; "realistic" = REALISTIC_LATENCY):
 *   aggregation=MS[:ROWS_PER_S] | list=MS[:ROWS_PER_S]
 * MS is the wait before the first byte of each answer; ROWS_PER_S (absent or 0 = unbounded) caps how fast its rows
 * stream after that. Each request is timed on its own: concurrent requests wait side by side, as they do at Pendo,
 * whose aggregation time grows with what a request scans rather than with how many run (docs/pendo-api.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export type LatencyRoute = 'aggregation' | 'list';

export interface LatencyProfile {
  firstByteMs: number;
  rowsPerSecond: number;
}

export type LatencySpec = Partial<Record<LatencyRoute, LatencyProfile>>;

/** The pace docs/pendo-api.md argues for: seconds to the first byte of an aggregation, then a steady stream. */
export const REALISTIC_LATENCY = 'aggregation=2000:25000,list=500:5000';

const ROUTES: readonly LatencyRoute[] = ['aggregation', 'list'];

function whole(part: string, raw: string, what: string): number {
  if (!/^\d+$/.test(raw)) throw new Error(`bad latency spec part "${part}": ${what} must be a whole number`);
  return Number(raw);
}

/** Parses a latency spec; throws naming the part that is wrong. */
export function parseLatencySpec(spec: string): LatencySpec {
  const trimmed = spec.replace(/\s+/g, '');
  if (trimmed === '' || trimmed === 'off') return {};
  if (trimmed === 'realistic') return parseLatencySpec(REALISTIC_LATENCY);
  const out: LatencySpec = {};
  for (const part of trimmed.split(',')) {
    const [route, value = '', ...extra] = part.split('=');
    if (!ROUTES.includes(route as LatencyRoute) || extra.length > 0) {
      throw new Error(`bad latency spec part "${part}": expected aggregation=MS[:ROWS_PER_S] or list=MS[:ROWS_PER_S]`);
    }
    const [ms = '', rate = '0', ...more] = value.split(':');
    if (more.length > 0) throw new Error(`bad latency spec part "${part}": expected MS[:ROWS_PER_S]`);
    out[route as LatencyRoute] = {
      firstByteMs: whole(part, ms, 'MS'),
      rowsPerSecond: whole(part, rate, 'ROWS_PER_S'),
    };
  }
  return out;
}

/** Writes a spec back in the grammar above ("off" when empty). */
export function formatLatencySpec(spec: LatencySpec): string {
  const parts = ROUTES.flatMap((route) => {
    const p = spec[route];
    return p ? [`${route}=${p.firstByteMs}:${p.rowsPerSecond}`] : [];
  });
  return parts.length ? parts.join(',') : 'off';
}

/** How one answer is paced: wait before it starts, then after each chunk until its rows are due. */
export interface Pacer {
  /** False when answers go out as fast as they are made. */
  readonly paced: boolean;
  /** Wraps the answer's rows so the pacer knows how many have gone out. */
  count<T>(rows: Iterable<T>): Iterable<T>;
  /** Resolves once the rows sent so far are due at the modelled rate. */
  pace(): Promise<void>;
}

const NO_PACE: Pacer = { paced: false, count: (rows) => rows, pace: () => Promise.resolve() };

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<unknown>;
}

const REAL_CLOCK: Clock = { now: Date.now, sleep: (ms) => sleep(ms) };

export class LatencyModel {
  private spec: LatencySpec;

  constructor(
    spec: LatencySpec = {},
    private readonly clock: Clock = REAL_CLOCK,
  ) {
    this.spec = spec;
  }

  set(spec: LatencySpec): void {
    this.spec = spec;
  }

  current(): { spec: string } & LatencySpec {
    return { spec: formatLatencySpec(this.spec), ...this.spec };
  }

  /** Waits out the first-byte latency of a request to `route`, then returns the pacer of its body. */
  async start(route: LatencyRoute): Promise<Pacer> {
    const profile = this.spec[route];
    if (!profile) return NO_PACE;
    const clock = this.clock;
    if (profile.firstByteMs > 0) await clock.sleep(profile.firstByteMs);
    if (profile.rowsPerSecond <= 0) return NO_PACE;
    const startedAt = clock.now();
    let sent = 0;
    return {
      paced: true,
      *count<T>(rows: Iterable<T>): Iterable<T> {
        for (const row of rows) {
          sent++;
          yield row;
        }
      },
      async pace() {
        const dueAt = startedAt + (sent / profile.rowsPerSecond) * 1000;
        const wait = dueAt - clock.now();
        if (wait > 0) await clock.sleep(wait);
      },
    };
  }
}
