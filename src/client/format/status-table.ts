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

function progressText(binding: BindingStatus): string {
  if (binding.backfill) return progressBar(binding.backfill.percent);
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
  const rejected = status.lastRejectedReconfigure
    ? `\nlast reconfigure rejected: ${status.lastRejectedReconfigure.message}`
    : '';
  return [title, ...lines, ...shrinks].join('\n') + rejected;
}
