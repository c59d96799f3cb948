import { Dataset, type DatasetOptions } from '../../../emulators/pendo/data/generator';

export const HOUR = 3_600_000;
/** A fixed clock: 2024-06-12 15:20 UTC. */
export const NOW = Date.UTC(2024, 5, 12, 15, 20);

export function dataset(overrides: Partial<DatasetOptions> = {}): Dataset {
  return new Dataset({
    seed: 7,
    volume: 1,
    lateFraction: 0.1,
    lateDelayMs: [4 * HOUR, 6 * HOUR],
    processingDelayMs: [0, 15 * 60_000],
    showCurrentHour: true,
    timezone: 'America/New_York',
    dataStartMs: NOW - 3 * 24 * HOUR,
    mutateEveryMs: 0,
    startMs: NOW,
    ...overrides,
  });
}

export const hourBucket = (start: number) => ({ start, end: start + HOUR });

/** Escapes a string for a filter literal the way a careful client must. */
export const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const literal = (v: unknown): string => (typeof v === 'number' ? String(v) : quote(String(v)));

/** `k1 > v1 || (k1 == v1 && (k2 > v2 || ...))`: strictly after `last` on the full key. */
export function keysetFilter(keys: string[], last: Record<string, unknown>): string {
  const [head, ...rest] = keys;
  if (!head) return 'false';
  const gt = `${head} > ${literal(last[head])}`;
  return rest.length === 0 ? gt : `${gt} || (${head} == ${literal(last[head])} && (${keysetFilter(rest, last)}))`;
}
