import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { captureSpec, connectTestClient, listsServed, TestWorld, waitFor } from '../helpers/harness';

let emulator: RunningPendoEmulator;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 5 });
  world = await TestWorld.create('history', { PENDO_TEST_KEY: emulator.key });
  ({ client, close: closeClient } = await connectTestClient());
  await world.startWorker();
});
afterAll(async () => {
  await closeClient?.();
  await world?.dispose();
  await emulator?.close();
});

type Event = temporal.api.history.v1.IHistoryEvent;
const eventsOf = async (workflowId: string): Promise<Event[]> =>
  (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];

test('issue 9 point 5: in steady state the capture history grows with state changes, not with every poll', async () => {
  const spec = captureSpec({
    name: `history-${Date.now()}`,
    baseUrl: emulator.url,
    keyRef: 'env:PENDO_TEST_KEY',
    resources: ['Page', 'Feature'],
    settings: { intervalMs: 1000 },
  });
  const handle = await client.workflow.start(capture, {
    workflowId: captureWorkflowId(spec.name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
  await waitFor('both bindings to poll and go idle', async () => {
    const s = await handle.query(captureStatusQuery);
    return s.bindings.every((b) => b.state === 'idle' && b.lastPollAt !== null);
  });

  // Every list the emulator served is a poll: most are retries of a watch activity, which leave no event.
  const polls = () => listsServed(emulator.url, 'page', 'feature');
  const parentBefore = await eventsOf(handle.workflowId);
  const pollsBefore = await polls();
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const parentAfter = await eventsOf(handle.workflowId);
  const stepsDuring = (await polls()) - pollsBefore;

  const added = parentAfter.slice(parentBefore.length);
  const reports = added.filter((e) => e.workflowExecutionSignaledEventAttributes);
  console.log(
    `issue 9 point 5: ${stepsDuring} binding steps in 15 s added ${added.length} events to the capture's history, ` +
      `${reports.length} of them reports`,
  );
  expect(stepsDuring).toBeGreaterThanOrEqual(10);
  expect(reports.length).toBe(0);
  expect(added.length).toBeLessThan(stepsDuring);

  await handle.signal(stopSignal, { reason: 'test over' });
  await handle.result();
});
