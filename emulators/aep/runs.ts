import type { Principal } from './context';
import { newEtag, uuid } from './ids';
import type { Json } from './http';
import type { RunWindow, SandboxState, StoredRecord } from './store';

const HOUR_MS = 3_600_000;

/** Streaming flows report hourly run windows; returns the window a record received at `ms` belongs to. */
export function runWindowFor(sb: SandboxState, flowId: string, ms: number): RunWindow {
  const startMs = Math.floor(ms / HOUR_MS) * HOUR_MS;
  const key = `${flowId}:${startMs}`;
  let win = sb.runs.get(key);
  if (!win) {
    win = { id: uuid(), flowId, startMs, etag: newEtag() };
    sb.runs.set(key, win);
  }
  return win;
}

const recordsIn = (sb: SandboxState, win: RunWindow): StoredRecord[] =>
  (sb.records.get(win.flowId) ?? []).filter(
    (r) => r.receivedTimeMs >= win.startMs && r.receivedTimeMs < win.startMs + HOUR_MS,
  );

/**
 * A run as Flow Service shows it, with counts and errors derived from the records of its window.
 * The service starts streaming runs on the flow's behalf, so they carry the flow's creator; `caller`
 * stands in once the flow is gone.
 */
export function runView(sb: SandboxState, win: RunWindow, caller: Principal): Json {
  const records = recordsIn(sb, win);
  const failed = records.filter((r) => r.errors.length > 0);
  const input = records.length;
  const output = input - failed.length;
  const status = failed.length === 0 ? 'success' : output === 0 ? 'failed' : 'partialSuccess';
  const byCode = new Map<string, { code: string; message: string; recordCount: number }>();
  for (const err of failed.flatMap((r) => r.errors)) {
    const e = byCode.get(err.code) ?? { ...err, recordCount: 0 };
    e.recordCount += 1;
    byCode.set(err.code, e);
  }
  const errors = [...byCode.values()];
  const completedAt = Math.max(win.startMs, ...records.map((r) => r.receivedTimeMs));
  const inputBytes = records.reduce((n, r) => n + r.bytes, 0);
  const outputBytes = records.reduce((n, r) => n + (r.output ? Buffer.byteLength(JSON.stringify(r.output)) : 0), 0);
  const durationSummary = { startedAtUTC: win.startMs, completedAtUTC: completedAt };
  const sizeSummary = { inputBytes, outputBytes };
  const recordSummary = { inputRecordCount: input, outputRecordCount: output, failedRecordCount: failed.length };
  const fileSummary = { inputFileCount: 0, outputFileCount: 0 };
  const statusSummary = { status, errors };
  const flow = sb.fs.flows.get(win.flowId)?.doc;
  const client = typeof flow?.createdClient === 'string' ? flow.createdClient : caller.clientId;
  const by = typeof flow?.createdBy === 'string' ? flow.createdBy : `${client}@AdobeID`;
  return {
    id: win.id,
    flowId: win.flowId,
    etag: win.etag,
    createdAt: win.startMs,
    updatedAt: completedAt,
    createdBy: by,
    updatedBy: by,
    createdClient: client,
    updatedClient: client,
    sandboxId: sb.id,
    sandboxName: sb.name,
    imsOrgId: caller.orgId,
    metrics: { durationSummary, sizeSummary, recordSummary, fileSummary, statusSummary },
    activities: [
      {
        id: 'ingestion',
        name: 'Ingestion',
        updatedAtUTC: completedAt,
        durationSummary,
        sizeSummary,
        recordSummary,
        fileSummary,
        statusSummary: {
          status,
          errors,
          extensions: {
            manifest: { failedRecords: failed.length, sampleErrors: failed.slice(0, 5).map((r) => r.errors[0]) },
            errors,
          },
        },
      },
    ],
  };
}

/** `lastRunDetails` of a flow: its most recent window, if any. */
export function lastRunDetails(sb: SandboxState, flowId: string, caller: Principal): Json | undefined {
  const wins = [...sb.runs.values()].filter((w) => w.flowId === flowId).sort((a, b) => b.startMs - a.startMs);
  const latest = wins[0];
  if (!latest) return undefined;
  const run = runView(sb, latest, caller);
  const metrics = run.metrics as { statusSummary: { status: string }; durationSummary: Json };
  return {
    id: latest.id,
    state: metrics.statusSummary.status,
    startedAtUTC: metrics.durationSummary.startedAtUTC,
    completedAtUTC: metrics.durationSummary.completedAtUTC,
  };
}
