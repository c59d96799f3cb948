/** Wall-clock arithmetic in an IANA time zone, on top of Intl (Node ships full ICU). */
const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** Throws a RangeError for an unknown IANA zone name. */
export function assertTimezone(timezone: string): void {
  formatter(timezone);
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The local wall-clock reading of instant t in the zone. */
export function wallClock(timezone: string, t: number): WallClock {
  const out: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(new Date(t))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

export function wallAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Local time minus UTC at instant t, in ms. */
export function tzOffsetMs(timezone: string, t: number): number {
  const secondStart = Math.floor(t / 1000) * 1000;
  return wallAsUtc(wallClock(timezone, secondStart)) - secondStart;
}

/** The first instant showing the given local wall time (or, inside a DST gap, the end of the gap). */
export function localTimeToUtc(timezone: string, y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const target = Date.UTC(y, mo - 1, d, h, mi, s);
  const candidates = [
    target - tzOffsetMs(timezone, target - 86_400_000),
    target - tzOffsetMs(timezone, target + 86_400_000),
  ].sort((a, b) => a - b);
  for (const c of candidates) if (wallAsUtc(wallClock(timezone, c)) === target) return c;
  // Inside a gap: binary-search the first instant whose wall time is past the target.
  let lo = (candidates[0] ?? target) - HOUR;
  let hi = (candidates[1] ?? target) + HOUR;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (wallAsUtc(wallClock(timezone, mid)) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
