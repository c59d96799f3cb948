import type { Figures } from './reads';

export const RSS_TARGET_MB = 300;
export const RATIO_TARGET = 0.8;
/** Temporal on the PostgreSQL store against the raw loop on local files. */
export const POSTGRES_RATIO_TARGET = 0.7;

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '?');

/** The figures of several reads as an aligned table. */
export function figuresTable(rows: Figures[]): string {
  const head = ['run', 'rows', 'on disk', 'seconds', 'rows/s', 'cpu s', 'peak RSS MB', 'VmHWM MB', 'requests'];
  const body = rows.map((f) => [
    f.label,
    String(f.rows),
    String(f.onDisk),
    fixed(f.seconds, 1),
    fixed(f.rows / f.seconds),
    fixed(f.cpuSeconds, 1),
    fixed(f.peakRssMb),
    fixed(f.hwmMb),
    f.requests,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const notes = rows.flatMap((f) => (f.breakdown ? [`  ${f.label}: ${f.breakdown}`] : []));
  return [line(head), ...body.map(line), ...notes].join('\n');
}

const sum = (runs: Figures[], field: 'rows' | 'seconds' | 'cpuSeconds') => runs.reduce((n, f) => n + f[field], 0);

/** `ratio temporal/raw` of rows per second (over all runs of each) with its target, and of client CPU per row. */
export function ratioLine(what: string, temporal: Figures[], raw: Figures[], target = RATIO_TARGET): string {
  const ratio = sum(temporal, 'rows') / sum(temporal, 'seconds') / (sum(raw, 'rows') / sum(raw, 'seconds'));
  const cpu = sum(temporal, 'cpuSeconds') / sum(temporal, 'rows') / (sum(raw, 'cpuSeconds') / sum(raw, 'rows'));
  const verdict = ratio >= target ? 'meets' : 'MISSES';
  // The idle worker's own CPU (polls, timers) over each read, taken out: what remains is the cost of the rows.
  const idle = temporal.reduce((n, f) => n + (f.idleCpuPerS ?? 0) * f.seconds, 0);
  const net =
    (sum(temporal, 'cpuSeconds') - idle) / sum(temporal, 'rows') / (sum(raw, 'cpuSeconds') / sum(raw, 'rows'));
  return (
    `${what} ratio temporal/raw: ${ratio.toFixed(2)} (${verdict} target >= ${target}); ` +
    `CPU per row temporal/raw: ${cpu.toFixed(2)}x (target <= 1.2x), ${net.toFixed(2)}x net of the idle worker's ` +
    `${idle.toFixed(2)} s (worker start-up CPU is reported per read and not counted)`
  );
}

/** Each read's peak RSS against the target. */
export function rssLine(rows: Figures[]): string {
  const parts = rows.map((f) => {
    const peak = Math.max(f.peakRssMb, f.hwmMb);
    return `${f.label} ${fixed(peak)} MB ${peak <= RSS_TARGET_MB ? 'ok' : 'OVER'}`;
  });
  return `peak RSS (target <= ${RSS_TARGET_MB} MB): ${parts.join(', ')}`;
}
