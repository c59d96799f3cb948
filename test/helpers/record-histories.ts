import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJson } from './history-json';

/** The environment variable that turns recording on; its value is the folder the histories go to. */
export const RECORD_ENV = 'PENDOFLOW_RECORD_HISTORIES';

/** One recorded history, as `index.json` lists it (the history file itself has no workflow id). */
export interface RecordedHistory {
  file: string;
  suite: string;
  workflowType: string;
  workflowId: string;
  runId: string;
  status: string;
  events: number;
}

const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_');

/** The test file that is running, e.g. `dataflow` for test/integration/dataflow.test.ts. */
function suiteName(): string {
  const path = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  return path ? basename(path).replace(/\.test\.ts$/, '') : 'unknown';
}

/**
 * Saves the full history of every run on `taskQueue` (closed and running, continued-as-new runs included) as
 * proto3 JSON files under `<dir>/<suite>/`, with an `index.json` naming each file's workflow. Does nothing
 * unless PENDOFLOW_RECORD_HISTORIES is set. Call it before the worker stops, so running workflows have
 * processed their last task.
 */
export async function recordHistories(address: string, taskQueue: string): Promise<RecordedHistory[]> {
  const root = process.env[RECORD_ENV];
  if (!root) return [];
  const suite = suiteName();
  const dir = join(root, suite);
  await mkdir(dir, { recursive: true });
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const recorded: RecordedHistory[] = [];
    for await (const run of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const file = `${safe(run.type)}--${safe(run.workflowId)}--${run.runId}.json`;
      await writeFile(join(dir, file), historyToJson(history));
      recorded.push({
        file,
        suite,
        workflowType: run.type,
        workflowId: run.workflowId,
        runId: run.runId,
        status: run.status.name,
        events: history.events?.length ?? 0,
      });
    }
    await writeFile(join(dir, `index-${safe(taskQueue)}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
    return recorded;
  } finally {
    await connection.close();
  }
}
