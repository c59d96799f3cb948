import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import {
  bindingStatusQuery,
  captureStatusQuery,
  pauseSignal,
  resumeSignal,
  stopSignal,
} from '../../src/workflows/capture/messages';
import { bindingWorkflowId, captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { captureSpec, connectTestClient, emulatorTruth, listsServed, TestWorld, waitFor } from '../helpers/harness';

let emulator: RunningPendoEmulator;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 5 });
  world = await TestWorld.create('watch', { PENDO_TEST_KEY: emulator.key });
  ({ client, close: closeClient } = await connectTestClient());
  await world.startWorker();
});

afterAll(async () => {
  await closeClient?.();
  await world?.dispose();
  await emulator?.close();
});

/** Workflow tasks completed by the binding's runs so far. */
async function workflowTasks(workflowId: string): Promise<number> {
  let tasks = 0;
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const { events } = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    tasks += (events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes).length;
  }
  return tasks;
}

test('issue 13: a snapshot binding polls an unchanged list without waking its workflow, and a change or a signal wakes it', async () => {
  const spec = captureSpec({ name: 'watch', baseUrl: emulator.url, keyRef: 'env:PENDO_TEST_KEY', resources: ['Page'] });
  const handle = await client.workflow.start(capture, {
    workflowId: captureWorkflowId('watch'),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
  const binding = bindingWorkflowId('watch', 'Page');
  const page = async () => (await handle.query(captureStatusQuery)).bindings[0];
  const own = () => client.workflow.getHandle(binding).query(bindingStatusQuery);
  const first = await waitFor('the first snapshot', async () => (await page())?.lastPollAt ?? undefined);

  // 1. Polling every second, an unchanged list is read again and again, in far fewer workflow tasks than polls.
  const [listsBefore, tasksBefore] = [await listsServed(emulator.url, 'page'), await workflowTasks(binding)];
  await sleep(8000);
  const polls = (await listsServed(emulator.url, 'page')) - listsBefore;
  const tasks = (await workflowTasks(binding)) - tasksBefore;
  expect(polls).toBeGreaterThanOrEqual(5);
  // One task per poll before; a watch hands back after 10 polls (two tasks: its result, then its timer).
  expect(tasks).toBeLessThanOrEqual(Math.ceil(polls / 10) * 2 + 1);

  // 2. The binding still hears of its polls: a watch that found nothing hands back after its tenth.
  await waitFor('a later poll in the binding status', async () => {
    const at = (await own()).lastPollAt;
    return at && Date.parse(at) > Date.parse(first) && at;
  });

  // 3. A change is captured at the next poll, as an update of that object alone.
  const target = (await emulatorTruth(emulator.url, 'page'))[0] as { id: string };
  const documentsBefore = (await own()).documents;
  const res = await fetch(`${emulator.url}/_emulator/metadata/page/${target.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Renamed while watched' }),
  });
  expect(res.status).toBe(200);
  const changed = await waitFor('the update', async () => {
    const s = await own();
    return s.documents > documentsBefore && s;
  });
  expect(changed.documents).toBe(documentsBefore + 1);
  expect((await world.documents('watch/Page')).find((d) => d.id === target.id)).toMatchObject({
    name: 'Renamed while watched',
    _meta: { op: 'u' },
  });

  // 4. A pause ends the watch at once: no list is read while paused, though the watch would poll every second.
  await handle.signal(pauseSignal, {});
  await waitFor('the binding to pause', async () => (await page())?.state === 'paused');
  const pausedLists = await listsServed(emulator.url, 'page');
  await sleep(3000);
  expect((await listsServed(emulator.url, 'page')) - pausedLists).toBe(0);
  await handle.signal(resumeSignal, {});
  await waitFor('polls after the resume', async () => (await listsServed(emulator.url, 'page')) > pausedLists + 1);

  // 5. A stop ends the binding during its watch.
  await handle.signal(stopSignal, { reason: 'test done' });
  const final = await handle.result();
  expect(final.bindings.map((b) => b.state)).toEqual(['stopped']);
  const status = (await client.workflow.getHandle(binding).describe()).status.name;
  expect(status).toBe('COMPLETED');
});
