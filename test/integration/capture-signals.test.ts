import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { ChangeRejectedError, reconfigureByUpdate } from '../../src/client/updates';
import {
  captureStatusQuery,
  legacyCaptureNames,
  pauseSignal,
  reconfigureSignal,
  stopSignal,
} from '../../src/workflows/capture/messages';
import { bindingWorkflowId, captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { runCli } from '../helpers/cli';
import { captureSpec, connectTestClient, temporalAddress, TestWorld, waitFor } from '../helpers/harness';

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

  // The new run still owns the children: its pause reaches them, their reports reach it, and its stop stops them.
  // (A caught-up event binding sleeps until its next hour is due, so it reports when a signal wakes it.)
  await handle.signal(pauseSignal, { reason: 'test' });
  await waitFor('a report from each child to the new run', async () =>
    (await handle.query(captureStatusQuery)).bindings.every((b) => b.state === 'paused'),
  );
  await handle.signal(stopSignal, { reason: 'test done' });
  const final = await handle.result();
  expect(final.bindings.map((b) => b.state)).toEqual(['stopped', 'stopped']);
});

/** The names of the signals (but bindings' reports) and accepted Updates in a workflow's history, in order. */
async function messageNames(workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const names = (history.events ?? []).flatMap((e) => [
    ...(e.workflowExecutionSignaledEventAttributes
      ? [`signal ${e.workflowExecutionSignaledEventAttributes.signalName}`]
      : []),
    ...(e.workflowExecutionUpdateAcceptedEventAttributes
      ? [`update ${e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name}`]
      : []),
  ]);
  return names.filter((n) => n !== 'signal bindingReport');
}

test('issue 10: a reconfigure Update with a bad value is refused naming the field and changes nothing; a good one answers the new status', async () => {
  const spec = captureSpec({ name: 'byupd', baseUrl: emulator.url, keyRef: 'env:PENDO_TEST_KEY', resources: ['Page'] });
  const handle = await client.workflow.start(capture, {
    workflowId: captureWorkflowId(spec.name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
  await waitFor('the first poll', async () =>
    (await handle.query(captureStatusQuery)).bindings.every((b) => b.lastPollAt !== null),
  );
  const before = await handle.query(captureStatusQuery);

  const refused = await reconfigureByUpdate(client, spec.name, { settings: { intervalMs: 10 } }).catch((e) => e);
  expect(refused).toBeInstanceOf(ChangeRejectedError);
  expect(refused).toMatchObject({
    type: 'InvalidReconfigure',
    reason: expect.stringMatching(/^settings\.intervalMs: /),
  });
  const moved = await reconfigureByUpdate(client, spec.name, {
    bindings: [{ resource: 'Page', target: 'elsewhere/Page' }],
  }).catch((e) => e);
  expect(moved.reason).toMatch(/^bindings\.0\.target: /);
  // The CLI sends a file by the same Update: a valid file the running capture refuses exits non-zero, naming the field.
  const file = join(world.dataDir, 'byupd.json');
  const endpoint = { credentials: { access_token: 'env:PENDO_TEST_KEY' }, baseUrl: emulator.url };
  await writeFile(
    file,
    JSON.stringify({ name: 'byupd', endpoint, bindings: [{ resource: 'Page', target: 'other/Page' }] }),
  );
  const cli = await runCli(['capture', 'reconfigure', 'byupd', '-f', file], { TEMPORAL_ADDRESS: temporalAddress() });
  expect(cli.code).toBe(1);
  expect(cli.stderr).toMatch(/reconfigure of pendo-capture:byupd rejected: bindings\.0\.target: .*nothing changed/);

  // Refused Updates leave no trace: not in history, not in state.
  const unchanged = await handle.query(captureStatusQuery);
  expect({ intervalMs: unchanged.intervalMs, rejected: unchanged.lastRejectedReconfigure }).toEqual({
    intervalMs: before.intervalMs,
    rejected: null,
  });
  expect(await messageNames(handle.workflowId)).toEqual([]);

  const answer = await reconfigureByUpdate(client, spec.name, { settings: { intervalMs: 45_000 }, reason: 'test' });
  expect(answer.intervalMs).toBe(45_000);
  expect((await handle.query(captureStatusQuery)).intervalMs).toBe(45_000);
  expect(await messageNames(handle.workflowId)).toEqual(['update reconfigureAndWait']);
  // The capture passes the settings on under the binding's new signal name; the old query name still answers.
  const binding = bindingWorkflowId(spec.name, 'Page');
  await waitFor('the settings to reach the binding', async () =>
    (await messageNames(binding)).includes('signal applySettings'),
  );
  expect(await messageNames(binding)).not.toContain('signal reconfigure');
  expect((await handle.query(legacyCaptureNames.captureStatusQuery)).intervalMs).toBe(45_000);

  await handle.signal(stopSignal, { reason: 'test done' });
  await handle.result();
});
