/** The state one running emulator shares between its routes. */
import type { KeyRing, Region } from './auth';
import type { Dataset } from './data/generator';
import type { FaultInjector } from './faults';
import type { LatencyModel } from './latency';

/** Request counts by route label and status ("reset" for connections cut mid-body). */
export class Stats {
  private readonly counts = new Map<string, Map<string, number>>();

  record(route: string, status: number | string): void {
    let byStatus = this.counts.get(route);
    if (!byStatus) this.counts.set(route, (byStatus = new Map()));
    const key = String(status);
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }

  toJSON(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [route, byStatus] of this.counts) out[route] = Object.fromEntries(byStatus);
    return out;
  }
}

/** API requests being answered now, and the most at once since the last reset. */
export class Load {
  inFlight = 0;
  peak = 0;

  enter(): void {
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
  }

  leave(): void {
    this.inFlight--;
  }

  /** The figures, then starts a new peak from what is in flight now. */
  take(): { inFlight: number; peak: number } {
    const out = { inFlight: this.inFlight, peak: this.peak };
    this.peak = this.inFlight;
    return out;
  }
}

export interface EmulatorContext {
  seed: number;
  subscriptionId: string;
  timezone: string;
  dataStartMs: number;
  rowBudget: number;
  now: () => number;
  dataset: Dataset;
  keyRing: KeyRing;
  keys: Record<Region, string>;
  faults: FaultInjector;
  latency: LatencyModel;
  stats: Stats;
  /** `GET /metadata/schema/<name>` for a name Pendo has no schema for: 200 `{}` (default) or 404. */
  unknownSchema: 'empty' | 'not-found';
  load: Load;
}
