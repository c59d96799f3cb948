import type { BindingStatus, CaptureStatus } from '../shared/capture-types';

/** Markdown for the Temporal UI's "current details": readable at a glance. */
export function bindingDetails(s: BindingStatus): string {
  const lines = [
    `**${s.resource}** → \`${s.target}\` · **${s.state}**`,
    `- documents: ${s.documents}`,
    `- cursor: ${s.cursor ?? '—'}${s.lagSeconds !== null ? ` (lag ${formatLag(s.lagSeconds)})` : ''}`,
  ];
  if (s.backfill) {
    lines.push(
      `- backfill: ${s.backfill.percent}% of ${s.backfill.fromIso} → ${s.backfill.toIso}, ` +
        `${s.backfill.windowsDone} windows, ${s.backfill.windowsSplit} split`,
    );
  }
  if (s.rescans) lines.push(`- rescans: ${s.rescans}`);
  if (s.shrinks) lines.push(`- confirmed shrinks: ${s.shrinks}`);
  if (s.lastPollAt) lines.push(`- last poll: ${s.lastPollAt}`);
  if (s.lastError) lines.push(`- last error: \`${s.lastError.type}\` ${s.lastError.message} (${s.lastError.at})`);
  return lines.join('\n');
}

export function captureDetails(s: CaptureStatus): string {
  const rows = s.bindings.map(
    (b) =>
      `| ${b.resource} | ${b.state} | ${b.documents} | ${b.backfill ? `${b.backfill.percent}%` : '—'} | ${b.cursor ?? '—'} | ${b.lastError ? b.lastError.type : ''} |`,
  );
  return [
    `**${s.capture}** · **${s.state}** · every ${Math.round(s.intervalMs / 1000)}s · late data: ${s.lateDataMode}`,
    '',
    '| resource | state | documents | backfill | cursor | error |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function formatLag(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 360) / 10}h`;
}
