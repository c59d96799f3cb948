import type { Client } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { bindingStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import { bindingWorkflowId, captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import {
  byId,
  captureSpec,
  connectTestClient,
  emulatorTruth,
  listsServed,
  TestWorld,
  waitFor,
  withoutMeta,
} from '../helpers/harness';

const KINDS = { Feature: 'feature', Guide: 'guide', Page: 'page', Report: 'report' } as const;
const RESOURCES = Object.keys(KINDS) as (keyof typeof KINDS)[];

let emulator: RunningPendoEmulator;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 11 });
  world = await TestWorld.create('metadata', { PENDO_TEST_KEY: emulator.key });
  ({ client, close: closeClient } = await connectTestClient());
  await world.startWorker();
});

afterAll(async () => {
  await closeClient?.();
  await world?.dispose();
  await emulator?.close();
});

async function admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The collection, as the emulator's objects plus tombstones for the ids it no longer has. */
async function expectCollectionMatchesEmulator(resource: keyof typeof KINDS, deleted: string[] = []): Promise<void> {
  const docs = await world.documents(`meta/${resource}`);
  const ids = docs.map((d) => String(d.id));
  expect(new Set(ids).size).toBe(ids.length);
  const live = docs
    .filter((d) => (d._meta as { op: string }).op !== 'd')
    .map(withoutMeta)
    .sort(byId);
  expect(live).toEqual((await emulatorTruth(emulator.url, KINDS[resource])).sort(byId));
  const tombstones = docs.filter((d) => (d._meta as { op: string }).op === 'd').map((d) => String(d.id));
  expect(tombstones.sort()).toEqual([...deleted].sort());
}

test('captures the metadata resources: first snapshot, updates, tombstones, and a worker SIGKILL', async () => {
  const spec = captureSpec({ name: 'meta', baseUrl: emulator.url, keyRef: 'env:PENDO_TEST_KEY', resources: RESOURCES });
  const handle = await client.workflow.start(capture, {
    workflowId: captureWorkflowId('meta'),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
  // Each binding's own status: its capture hears of polls that found nothing new only every few minutes.
  const polledAfter = (since: number) => async () => {
    const bindings = await Promise.all(
      RESOURCES.map((r) => client.workflow.getHandle(bindingWorkflowId('meta', r)).query(bindingStatusQuery)),
    );
    return bindings.every((b) => b.lastPollAt !== null && Date.parse(b.lastPollAt) > since) && { bindings };
  };

  // 1. The first snapshot equals the emulator's data, every app included.
  const first = await waitFor('the first snapshot of every binding', polledAfter(0));
  expect(first.bindings.map((b) => b.state)).toEqual(['idle', 'idle', 'idle', 'idle']);
  for (const r of RESOURCES) await expectCollectionMatchesEmulator(r);
  const pages = await emulatorTruth(emulator.url, 'page');
  expect(new Set(pages.map((p) => p.appId)).size).toBeGreaterThan(1);

  // 2. A modification shows up as an update; 3. a deletion as a tombstone.
  const page = pages[0] as { id: string };
  const features = await emulatorTruth(emulator.url, 'feature');
  const gone = String(features[0]?.id);
  await admin('PATCH', `metadata/page/${page.id}`, { name: 'Renamed by the test' });
  await admin('DELETE', `metadata/feature/${gone}`);
  const changed = await waitFor('the update and the tombstone', async () => {
    const docs = [...(await world.documents('meta/Page')), ...(await world.documents('meta/Feature'))];
    const updated = docs.find((d) => d.id === page.id);
    const tomb = docs.find((d) => d.id === gone);
    return updated?.name === 'Renamed by the test' && (tomb?._meta as { op: string })?.op === 'd' && { updated, tomb };
  });
  expect(changed.updated._meta).toMatchObject({ op: 'u' });
  expect(Object.keys(changed.tomb ?? {}).sort()).toEqual(['_meta', 'id']);
  await expectCollectionMatchesEmulator('Page');
  await expectCollectionMatchesEmulator('Feature', [gone]);

  // 4. A worker killed with SIGKILL and restarted loses and duplicates nothing.
  await world.worker?.kill();
  const report = (await emulatorTruth(emulator.url, 'report'))[0] as { id: string };
  await admin('PATCH', `metadata/report/${report.id}`, { name: 'Changed while the worker was down' });
  const restartedAt = Date.now();
  await world.startWorker();
  await waitFor('a poll by the restarted worker', polledAfter(restartedAt));
  for (const r of RESOURCES) await expectCollectionMatchesEmulator(r, r === 'Feature' ? [gone] : []);
  expect((await world.documents('meta/Report')).find((d) => d.id === report.id)?.name).toBe(
    'Changed while the worker was down',
  );

  await handle.signal(stopSignal, { reason: 'test done' });
  const final = await handle.result();
  expect(final.state).toBe('stopped');
  expect(final.bindings.map((b) => b.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);

  // 5. issue 13: the polls of an unchanged list are the retries of one watch activity, with no workflow task each.
  const workflowId = bindingWorkflowId('meta', 'Page');
  const events = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    events.push(...((await client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events ?? []));
  const polls = await listsServed(emulator.url, 'page');
  const tasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
  const watches = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'watchSnapshot');
  expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toEqual([]);
  expect(watches.length).toBeGreaterThanOrEqual(2);
  // Some watch polled more than once: its retries were polls (snapshot-watch.test.ts counts the tasks they save).
  expect(polls).toBeGreaterThan(watches.length);
  expect(tasks).toBeLessThanOrEqual(3 * watches.length + 6);
});
