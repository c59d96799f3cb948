import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux). */
const TICKS_PER_SECOND = 100;
const MB = 1024 * 1024;

/** A process's memory from /proc/<pid>/status, in MB; undefined once it has exited. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: (kb('VmRSS') * 1024) / MB, peakMb: (kb('VmHWM') * 1024) / MB };
}

/** User plus system CPU seconds a process has used so far (utime + stime). */
export function cpuSecondsOf(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which may itself hold spaces and parentheses: state is [0], utime [11].
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Samples a process's RSS on a timer and keeps the largest value seen, as well as the kernel's own peak. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private maxRss = 0;
  private hwm = 0;

  constructor(
    private readonly pid: number,
    everyMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Stops sampling; returns the largest sampled RSS and the largest VmHWM seen, in MB. */
  stop(): { maxRssMb: number; peakMb: number } {
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
    return { maxRssMb: this.maxRss, peakMb: this.hwm };
  }

  private sample(): void {
    const m = memoryOf(this.pid);
    if (!m) return;
    this.maxRss = Math.max(this.maxRss, m.rssMb);
    this.hwm = Math.max(this.hwm, m.peakMb);
  }
}
