import type { PipelineState } from './types';

/** Markdown for the Temporal UI's current details of a pipeline. */
export function pipelineDetails(s: PipelineState): string {
  const d = s.dataflow;
  const c = s.capture;
  const run = d?.lastRuns[0];
  const lines = [
    `**Pipeline ${s.name}** · **${s.phase}**`,
    '',
    `- dataflow \`${d?.workflowId ?? '—'}\`: ${d?.phase ?? 'starting'}${d?.flowId ? `, flow ${d.flowId}` : ''}`,
    `- inlet: ${d?.inletUrl ?? '—'}`,
    run
      ? `- last run (AEP's count): ${run.status}, ${run.inputRecords} in, ${run.outputRecords} out, ${run.failedRecords} failed`
      : '- last run: —',
    s.delivery
      ? `- delivery: ${s.delivery.delivered} delivered, ${s.delivery.deadLettered} dead-lettered, ${s.delivery.pending} pending`
      : '- delivery: —',
    `- capture \`${c?.workflowId ?? '—'}\`: ${c?.state ?? 'not started'}`,
    ...(c?.bindings ?? []).map(
      (b) => `  - ${b.resource}: ${b.state}, ${b.documents} documents${b.lastError ? `, ${b.lastError.type}` : ''}`,
    ),
  ];
  if (s.lastError) lines.push(`- last error: \`${s.lastError.type}\` ${s.lastError.message}`);
  return lines.join('\n');
}
