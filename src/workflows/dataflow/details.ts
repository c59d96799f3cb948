import type { DataflowState } from './types';
import { codeTable } from '../common/text-table';

const short = (v: string | null, n = 40) => (v === null ? '—' : v.length > n ? `…${v.slice(-n)}` : v);

/** Markdown for the Temporal UI's current details: phase, steps, inlet, last run and errors. */
export function dataflowDetails(s: DataflowState): string {
  const lines = [
    `**${s.name}** in sandbox \`${s.sandbox}\` · **${s.phase}**`,
    '',
    `- inlet: ${s.inletUrl ? `\`${s.inletUrl}\`` : '—'}`,
    '',
    codeTable(
      ['step', 'status', 'id', 'etag / version'],
      s.steps.map((st) => [
        st.step,
        st.status,
        short(st.id),
        st.etag ?? (st.version === null ? '—' : `v${st.version}`),
      ]),
    ),
  ];
  const run = s.lastRuns[0];
  if (run) {
    lines.push(
      '',
      `- last run: ${run.status}, ${run.inputRecords} in / ${run.outputRecords} out / ${run.failedRecords} failed (from ${run.startedAt ?? '—'})`,
    );
  }
  if (s.removed.length) lines.push(`- removed: ${s.removed.map((r) => `${r.step} (${r.outcome})`).join(', ')}`);
  if (s.lastError)
    lines.push(`- last error during ${s.lastError.during}: \`${s.lastError.type}\` ${s.lastError.message}`);
  if (s.lastRejected) lines.push(`- last rejected ${s.lastRejected.signal}: ${s.lastRejected.message}`);
  return lines.join('\n');
}
