import type { BindingStatus, CaptureStatus } from './types';
import { lagText } from './lag-text';
import { codeTable } from '../common/text-table';

/** Markdown for the Temporal UI's "current details": readable at a glance. */
export function bindingDetails(s: BindingStatus): string {
  const lines = [
    `**${s.resource}** → \`${s.target}\` · **${s.state}**`,
    '',
    `- documents: ${s.documents}`,
    `- cursor: ${s.cursor ?? '—'}${s.lagSeconds !== null ? ` (lag: ${lagText(s)})` : ''}`,
  ];
  if (s.backfill) {
    lines.push(
      `- backfill: ${s.backfill.percent}% of ${s.backfill.fromIso} → ${s.backfill.toIso}, ` +
        `${s.backfill.windowsDone} windows, ${s.backfill.windowsSplit} split`,
    );
    const inFlight = s.backfill.inFlight ?? [];
    if (inFlight.length) {
      lines.push(
        `- windows in flight (${inFlight.length} of ${s.backfill.slots ?? inFlight.length}): ${inFlight.join(', ')}`,
      );
    }
  }
  if (s.throttles) lines.push(`- 429s met: ${s.throttles}; slowed by siblings: ${s.slowDowns ?? 0}`);
  if (s.rescans) lines.push(`- rescans: ${s.rescans}`);
  if (s.shrinks) lines.push(`- confirmed shrinks: ${s.shrinks}`);
  if (s.lastPollAt) lines.push(`- last poll: ${s.lastPollAt}`);
  if (s.lastError) lines.push(`- last error: \`${s.lastError.type}\` ${s.lastError.message} (${s.lastError.at})`);
  return lines.join('\n');
}

export function captureDetails(s: CaptureStatus): string {
  const rows = s.bindings.map((b) => [
    b.resource,
    b.state,
    String(b.documents),
    b.backfill ? backfillCell(b.backfill) : '—',
    lagText(b),
    b.cursor?.replace(/:\d\d\.\d{3}Z$/, 'Z') ?? '—',
    b.lastError ? b.lastError.type : '',
  ]);
  return [
    `**${s.capture}** · **${s.state}** · every ${Math.round(s.intervalMs / 1000)}s · late data: ${s.lateDataMode}`,
    '',
    codeTable(['resource', 'state', 'documents', 'backfill', 'lag', 'cursor', 'error'], rows),
  ].join('\n');
}

/** `42%`, and the windows in flight when there are any: `42% (3 in flight)`. */
function backfillCell(b: NonNullable<BindingStatus['backfill']>): string {
  const n = b.inFlight?.length ?? 0;
  return n > 0 ? `${b.percent}% (${n} in flight)` : `${b.percent}%`;
}
