import type { DataflowState } from './types';
import { codeTable } from '../common/text-table';

const short = (text: string | null, keep = 40) =>
  text === null ? '—' : text.length > keep ? `…${text.slice(-keep)}` : text;

/** Markdown for the Temporal UI's current details: phase, steps, inlet, last run and errors. */
export function dataflowDetails(state: DataflowState): string {
  const lines = [
    `**${state.name}** in sandbox \`${state.sandbox}\` · **${state.phase}**`,
    '',
    `- inlet: ${state.inletUrl ? `\`${state.inletUrl}\`` : '—'}`,
    '',
    codeTable(
      ['step', 'status', 'id', 'etag / version'],
      state.steps.map((st) => [
        st.step,
        st.status,
        short(st.id),
        st.etag ?? (st.version === null ? '—' : `v${st.version}`),
      ]),
    ),
  ];
  const run = state.lastRuns[0];
  if (run) {
    lines.push(
      '',
      `- last run: ${run.status}, ${run.inputRecords} in / ${run.outputRecords} out / ${run.failedRecords} failed (from ${run.startedAt ?? '—'})`,
    );
  }
  if (state.removed.length) lines.push(`- removed: ${state.removed.map((r) => `${r.step} (${r.outcome})`).join(', ')}`);
  if (state.lastError)
    lines.push(`- last error during ${state.lastError.during}: \`${state.lastError.type}\` ${state.lastError.message}`);
  if (state.lastRejected) lines.push(`- last rejected ${state.lastRejected.signal}: ${state.lastRejected.message}`);
  return lines.join('\n');
}
