import type { BindingStatus, CaptureStatus } from '../../workflows/capture/types';
import { lagText } from '../../workflows/capture/lag-text';
import { RESOURCE_KINDS } from '../../resources';

const BAR_WIDTH = 20;

/** `[########------------]  40.0%` */
export function progressBar(percent: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent.toFixed(1).padStart(5)}%`;
}

/** What the backfill column says of resources read whole, or from where they end, each poll. */
const NO_BACKFILL: Partial<Record<string, string>> = { snapshot: '(snapshot)', incremental: '(incremental)' };

/** The bar, and the windows in flight when there are any: `[####...]  40.0% 3/4 in flight`. */
function progressText(binding: BindingStatus): string {
  const backfill = binding.backfill;
  if (backfill) {
    const inFlight = backfill.inFlight?.length ?? 0;
    const bar = progressBar(backfill.percent);
    return inFlight > 0 ? `${bar} ${inFlight}/${backfill.slots ?? inFlight} in flight` : bar;
  }
  return NO_BACKFILL[RESOURCE_KINDS[binding.resource]] ?? '—';
}

function row(binding: BindingStatus): string[] {
  return [
    binding.resource,
    binding.state,
    String(binding.documents),
    progressText(binding),
    binding.cursor ?? '—',
    lagText(binding),
    binding.lastPollAt ?? '—',
    binding.lastError ? `${binding.lastError.type}: ${binding.lastError.message}` : '',
  ];
}

/** A plain-text table of a capture's bindings, one line each. */
export function statusTable(status: CaptureStatus): string {
  const header = ['RESOURCE', 'STATE', 'DOCS', 'BACKFILL', 'CURSOR', 'LAG', 'LAST POLL', 'LAST ERROR'];
  const rows = [header, ...status.bindings.map(row)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (i === 7 ? 0 : (r[i] ?? '').length))));
  const lines = rows.map((cells) =>
    cells
      .map((cell, i) => (i === 7 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const title = `${status.capture}: ${status.state}, every ${Math.round(status.intervalMs / 1000)}s, late data ${status.lateDataMode}`;
  const shrinks = status.bindings
    .filter((b) => b.shrinks > 0)
    .map((b) => `${b.resource}: ${b.shrinks} confirmed sharp shrink(s) applied`);
  const inFlight = status.bindings
    .filter((binding) => (binding.backfill?.inFlight?.length ?? 0) > 0)
    .map((binding) => `${binding.resource}: windows in flight ${binding.backfill?.inFlight?.join(', ')}`);
  const throttled = status.bindings
    .filter((binding) => (binding.throttles ?? 0) > 0)
    .map(
      (binding) =>
        `${binding.resource}: ${binding.throttles} 429s met, slowed ${binding.slowDowns ?? 0} time(s) by its siblings' 429s`,
    );
  const rejected = status.lastRejectedReconfigure
    ? `\nlast reconfigure rejected: ${status.lastRejectedReconfigure.message}`
    : '';
  return [title, ...lines, ...shrinks, ...inFlight, ...throttled].join('\n') + rejected;
}
