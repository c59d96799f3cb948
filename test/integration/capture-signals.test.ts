import type { Client, WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { captureStatusQuery, reconfigureSignal, stopSignal } from '../../src/workflows/capture/messages';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { captureSpec, connectTestClient, TestWorld, waitFor } from '../helpers/harness';

let emulator: RunningPendoEmulator;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 41, lateFraction: 0 });
  world = await TestWorld.create('signals', { PENDO_TEST_KEY: emulator.key });
  ({ client, close: closeClient } = await connectTestClient());
  await world.startWorker();
});

afterAll(async () => {
  await closeClient?.();
  await world?.dispose();
  await emulator?.close();
});

const MB = 1024 * 1024;

/** Signals of about 1.9 MB each, in the shapes a careless or hostile sender might use. */
function bigSignals(): unknown[] {
  const big = (c: string) => c.repeat(Math.floor(1.9 * MB));
  return [
    { bindings: [{ resource: 'Page', target: `big/${big('p')}` }] },
    { reason: big('r') },
    { settings: { intervalMs: 1000 }, description: big('d') },
    { [big('k')]: 1 },
    { bindings: [{ resource: 'PageEvents', target: `big/${big('e')}` }] },
    { reason: big('s') },
    { bindings: [{ resource: 'Page', target: `big/${big('q')}` }] },
    { reason: big('t') },
  ];
}

/** The first event's input of the current run, as the server stores it. */
async function inputBytes(handle: WorkflowHandle<typeof capture>): Promise<number> {
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return (started?.input?.payloads ?? []).reduce((n, p) => n + (p.data?.length ?? 0), 0);
}

test('issue 8 finding 5: big reconfigure signals are refused unread and the capture continues-as-new, its children still its own', async () => {
  const spec = captureSpec({
    name: 'bigsig',
    baseUrl: emulator.url,
    keyRef: 'env:PENDO_TEST_KEY',
    resources: ['Page', 'PageEvents'],
  });
  const handle = await client.workflow.start(capture, {
    workflowId: captureWorkflowId(spec.name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
  const firstRun = (await handle.describe()).runId;
  await waitFor('the first poll', async () =>
    (await handle.query(captureStatusQuery)).bindings.every((b) => b.lastPollAt !== null),
  );

  for (const args of bigSignals()) await handle.signal(reconfigureSignal, args as never);

  // Past the server's 4 MB suggestion the run continues as new, and the new run starts small.
  const described = await waitFor('a new run, or the end of this one', async () => {
    const d = await handle.describe();
    return (d.runId !== firstRun || d.status.name !== 'RUNNING') && d;
  });
  expect(described.status.name).toBe('RUNNING');
  expect(described.runId).not.toBe(firstRun);
  expect(described.historySize).toBeLessThan(MB);
  expect(await inputBytes(handle)).toBeLessThan(64 * 1024);
  const first = await client.workflow.getHandle(captureWorkflowId(spec.name), firstRun).describe();
  expect(first.status.name).toBe('CONTINUED_AS_NEW');

  // Nothing of the refused signals changed the capture; the refusal is visible and short.
  const status = await handle.query(captureStatusQuery);
  expect(status.bindings.map((b) => b.target).sort()).toEqual(['bigsig/Page', 'bigsig/PageEvents']);
  expect(status.lastRejectedReconfigure?.message).toMatch(/the limit is 64 KiB/);
  expect(status.lastRejectedReconfigure?.message.length).toBeLessThan(1000);

  // The new run still owns the children: their reports reach it, and its stop stops them.
  const polled = Math.max(...status.bindings.map((b) => Date.parse(b.lastPollAt ?? '')));
  await waitFor('a report from each child to the new run', async () =>
    (await handle.query(captureStatusQuery)).bindings.every((b) => Date.parse(b.lastPollAt ?? '') > polled),
  );
  await handle.signal(stopSignal, { reason: 'test done' });
  const final = await handle.result();
  expect(final.bindings.map((b) => b.state)).toEqual(['stopped', 'stopped']);
});
