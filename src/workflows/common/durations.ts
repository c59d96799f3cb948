import { DAY, HOUR, MINUTE, SECOND } from './time';

/** `5400000` → `1h30m`: the inverse of parseDuration, for display. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const units: [string, number][] = [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ];
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out + (rest > 0 ? `${rest}ms` : '');
}
