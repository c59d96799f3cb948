import type { DataflowState, RunSummary } from '../../../workflows/dataflow/types';

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** Runs, newest first, one line each. */
export function runsText(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'no runs yet';
  const rows = runs.map((r) => [
    r.startedAt ?? '—',
    r.status,
    String(r.inputRecords),
    String(r.outputRecords),
    String(r.failedRecords),
    r.errors.map((e) => `${e.code}: ${e.message}`).join('; '),
  ]);
  return table([['STARTED', 'STATUS', 'IN', 'OUT', 'FAILED', 'ERRORS'], ...rows]).join('\n');
}

/** Phase, inlet, steps, last runs and errors, as plain text. */
export function statusText(s: DataflowState): string {
  const steps = s.steps.map((st) => [
    st.step,
    st.status,
    st.id ?? '—',
    st.etag ?? (st.version === null ? '—' : `v${st.version}`),
    st.error ? `${st.error.type}: ${st.error.message}` : '',
  ]);
  const lines = [
    `${s.name} (sandbox ${s.sandbox}, ${s.workflowId}): ${s.phase}${aepTrouble(s.lastError)}`,
    `inlet: ${s.inletUrl ?? '—'}`,
    `flow: ${s.flowName} · account: ${s.account.name} · ${s.mappings.length} mapping(s) · ${s.updatesApplied} update(s) applied`,
    '',
    ...table([['STEP', 'STATUS', 'ID', 'ETAG/VERSION', 'ERROR'], ...steps]),
  ];
  if (s.lastRuns.length) lines.push('', `last runs (read ${s.lastMonitoredAt ?? '—'}):`, runsText(s.lastRuns));
  if (s.removed.length) {
    lines.push(
      '',
      `removed: ${s.removed.map((r) => `${r.step} ${r.outcome}${r.error ? ` (${r.error})` : ''}`).join(', ')}`,
    );
  }
  if (s.lastError) lines.push(`last error during ${s.lastError.during}: ${s.lastError.type}: ${s.lastError.message}`);
  if (s.lastRejected) lines.push(`last rejected ${s.lastRejected.signal}: ${s.lastRejected.message}`);
  return lines.join('\n');
}

/**
 * A suffix for a headline while the dataflow's monitoring cannot reach AEP, so `ready` never hides it. The workflow
 * clears a monitoring error once AEP answers again, so this is always current.
 */
export function aepTrouble(error: { type: string; message: string; at: string; during?: string } | null): string {
  if (error?.during !== 'monitoring') return '';
  return ` · AEP unreachable since ${error.at}: ${error.type}: ${error.message}`;
}
