import type { BindingStatus } from './types';

/** `45s`, `12m`, `8h`, `8.6h`: short enough for a table cell. */
export function shortDuration(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 360) / 10}h`;
}

/**
 * How far a binding trails, in words: under settledOnly a caught-up binding trails by its settle delay on
 * purpose, so it reads "settling (8h delay)" rather than a lag that looks stuck.
 */
export function lagText(s: Pick<BindingStatus, 'lagSeconds' | 'settleDelaySeconds' | 'backfill'>): string {
  if (s.lagSeconds === null) return '—';
  if (s.settleDelaySeconds !== undefined && s.backfill?.percent === 100)
    return `settling (${shortDuration(s.settleDelaySeconds)} delay)`;
  return shortDuration(s.lagSeconds);
}
