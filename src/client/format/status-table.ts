import type { BindingStatus, CaptureStatus } from '../../workflows/capture/types';
import { lagText } from '../../workflows/capture/lag-text';
import { RESOURCE_KINDS } from '../../resources';

const BAR_WIDTH = 20;

/** `[########------------]  40.0%` */
export function progressBar(percent: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent.toFixed(1).padStart(5)}%`;
}

/** The bar, and the windows in flight when there are any: `[####...]  40.0% 3/4 in flight`. */
function backfillCell(b: NonNullable<BindingStatus['backfill']>): string {
  const n = b.inFlight?.length ?? 0;
  return n > 0 ? `${progressBar(b.percent)} ${n}/${b.slots ?? n} in flight` : progressBar(b.percent);
}

function row(b: BindingStatus): string[] {
  return [
    b.resource,
    b.state,
    String(b.documents),
    b.backfill ? backfillCell(b.backfill) : RESOURCE_KINDS[b.resource] === 'snapshot' ? '(snapshot)' : '—',
    b.cursor ?? '—',
    lagText(b),
    b.lastPollAt ?? '—',
    b.lastError ? `${b.lastError.type}: ${b.lastError.message}` : '',
  ];
}

/** A plain-text table of a capture's bindings, one line each. */
export function statusTable(s: CaptureStatus): string {
  const header = ['RESOURCE', 'STATE', 'DOCS', 'BACKFILL', 'CURSOR', 'LAG', 'LAST POLL', 'LAST ERROR'];
  const rows = [header, ...s.bindings.map(row)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (i === 7 ? 0 : (r[i] ?? '').length))));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === 7 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const title = `${s.capture}: ${s.state}, every ${Math.round(s.intervalMs / 1000)}s, late data ${s.lateDataMode}`;
  const shrinks = s.bindings
    .filter((b) => b.shrinks > 0)
    .map((b) => `${b.resource}: ${b.shrinks} confirmed sharp shrink(s) applied`);
  const inFlight = s.bindings
    .filter((b) => (b.backfill?.inFlight?.length ?? 0) > 0)
    .map((b) => `${b.resource}: windows in flight ${b.backfill?.inFlight?.join(', ')}`);
  const throttled = s.bindings
    .filter((b) => (b.throttles ?? 0) > 0)
    .map((b) => `${b.resource}: ${b.throttles} 429s met, slowed ${b.slowDowns ?? 0} time(s) by its siblings' 429s`);
  const rejected = s.lastRejectedReconfigure ? `\nlast reconfigure rejected: ${s.lastRejectedReconfigure.message}` : '';
  return [title, ...lines, ...shrinks, ...inFlight, ...throttled].join('\n') + rejected;
}
