import type { PipelineState } from './types';

/** Markdown for the Temporal UI's current details of a pipeline. */
export function pipelineDetails(state: PipelineState): string {
  const dataflow = state.dataflow;
  const capture = state.capture;
  const run = dataflow?.lastRuns[0];
  const lines = [
    `**Pipeline ${state.name}** · **${state.phase}**`,
    '',
    `- dataflow \`${dataflow?.workflowId ?? '—'}\`: ${dataflow?.phase ?? 'starting'}${dataflow?.flowId ? `, flow ${dataflow.flowId}` : ''}`,
    `- inlet: ${dataflow?.inletUrl ?? '—'}`,
    run
      ? `- last run (AEP's count): ${run.status}, ${run.inputRecords} in, ${run.outputRecords} out, ${run.failedRecords} failed`
      : '- last run: —',
    state.delivery
      ? `- delivery: ${state.delivery.delivered} delivered, ${state.delivery.deadLettered} dead-lettered, ${state.delivery.pending} pending`
      : '- delivery: —',
    `- capture \`${capture?.workflowId ?? '—'}\`: ${capture?.state ?? 'not started'}`,
    ...(capture?.bindings ?? []).map(
      (b) => `  - ${b.resource}: ${b.state}, ${b.documents} documents${b.lastError ? `, ${b.lastError.type}` : ''}`,
    ),
  ];
  if (state.lastError) lines.push(`- last error: \`${state.lastError.type}\` ${state.lastError.message}`);
  return lines.join('\n');
}
