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
    const count = Math.floor(rest / size);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * size;
  }
  return out + (rest > 0 ? `${rest}ms` : '');
}
