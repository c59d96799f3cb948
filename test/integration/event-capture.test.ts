import type { Client, WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { REGISTRY, type Row } from '../../src/resources';
import type { CaptureSpec, CaptureStatus } from '../../src/workflows/capture/types';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import { RESOURCE_NAMES, type ResourceName } from '../../src/resources';
import { bindingWorkflowId, captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { floorHour } from '../../src/workflows/capture/cursor';
import {
  captureSpec,
  connectTestClient,
  emulatorTruth,
  expectCollectionEqualsTruth,
  HOUR,
  TestWorld,
  waitFor,
  withoutMeta,
} from '../helpers/harness';
import { newestVersions, truthDocuments } from '../helpers/resources-truth';

const EVENT_RESOURCES = RESOURCE_NAMES.filter((r) => ['aggregatedEvents', 'rawEvents'].includes(REGISTRY[r].kind));

let emulator: RunningPendoEmulator;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  // No late events of their own: the late-data test injects them where it wants them.
  emulator = await startPendoEmulator({ seed: 23, lateFraction: 0, hotSpots: 'stress' });
  world = await TestWorld.create('events', {
    PENDO_TEST_KEY: emulator.key,
    PENDO_EU_KEY: emulator.keys.eu,
    PENDO_BAD_KEY: 'nope.us',
  });
  ({ client, close: closeClient } = await connectTestClient());
  await world.startWorker();
});

afterAll(async () => {
  await closeClient?.();
  await world?.dispose();
  await emulator?.close();
});

async function start(spec: CaptureSpec): Promise<WorkflowHandle<typeof capture>> {
  return client.workflow.start(capture, {
    workflowId: captureWorkflowId(spec.name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
}

async function stop(handle: WorkflowHandle<typeof capture>): Promise<CaptureStatus> {
  await handle.signal(stopSignal, { reason: 'test done' });
  return handle.result();
}

const caughtUp = (handle: WorkflowHandle<typeof capture>, horizon: number) => async () => {
  const s = await handle.query(captureStatusQuery);
  return (
    s.bindings.every(
      (b) => b.lastPollAt !== null && (b.cursor === null || b.backfill === null || Date.parse(b.cursor) >= horizon),
    ) && s
  );
};

const expectEqualsTruth = (capture: string, resource: ResourceName, fromMs: number, toMs: number) =>
  expectCollectionEqualsTruth(world, emulator.url, `${capture}/${resource}`, resource, fromMs, toMs);

test('captures all fifteen resources over a seeded range, equal to the emulator, with no duplicate keys', async () => {
  const startMs = floorHour(Date.now()) - 30 * HOUR;
  const spec = captureSpec({
    name: 'all9',
    baseUrl: emulator.url,
    keyRef: 'env:PENDO_TEST_KEY',
    resources: [...RESOURCE_NAMES],
    // A small page limit makes every window page many times, through the hot spots where rows share a timestamp.
    settings: {
      startMs,
      limits: { incrementalLimit: 100, backfillLimit: 100, windowHours: 12, requestTimeoutMs: 30_000 },
    },
  });
  const handle = await start(spec);
  const horizon = floorHour(Date.now() - 1);
  const status = await waitFor('all fifteen bindings to catch up', caughtUp(handle, horizon));
  expect(status.bindings).toHaveLength(RESOURCE_NAMES.length);
  for (const resource of EVENT_RESOURCES) {
    const rows = await expectEqualsTruth('all9', resource, startMs, horizon);
    expect(rows).toBeGreaterThan(0);
  }
  for (const [resource, kind] of [
    ['Feature', 'feature'],
    ['Guide', 'guide'],
    ['Page', 'page'],
    ['Report', 'report'],
  ] as const) {
    const docs = (await world.documents(`all9/${resource}`)).map(withoutMeta);
    expect(docs.length).toBe((await emulatorTruth(emulator.url, kind)).length);
  }
  // issue 12: the six more; their exactness in detail is in resources-capture.test.ts.
  for (const resource of ['Segment', 'AccountMetadata', 'VisitorMetadata'] as const) {
    const docs = (await world.documents(`all9/${resource}`)).map(withoutMeta);
    expect(docs).toEqual(await truthDocuments(emulator.url, resource));
  }
  for (const resource of ['Account', 'Visitor', 'TrackType'] as const) {
    const newest = newestVersions(resource, await world.documents(`all9/${resource}`));
    const truth = await truthDocuments(emulator.url, resource, startMs);
    expect(newest.size).toBe(truth.length);
    for (const row of truth) expect(newest.get(String(row[REGISTRY[resource].idField]))).toEqual(row);
  }
  const final = await stop(handle);
  expect(final.bindings.every((b) => b.state === 'stopped')).toBe(true);
});

test('late events injected into a captured hour replace their rows once the rescan runs', async () => {
  const startMs = floorHour(Date.now()) - 6 * HOUR;
  const spec = captureSpec({
    name: 'late',
    baseUrl: emulator.url,
    keyRef: 'env:PENDO_TEST_KEY',
    resources: ['PageEvents', 'GuideEvents'],
    settings: {
      startMs,
      lateData: {
        mode: 'rescan',
        processingDelayMs: 0,
        rescanWindowMs: 24 * HOUR,
        rescanEveryMs: 3000,
        settleDelayMs: 8 * HOUR,
      },
    },
  });
  const handle = await start(spec);
  const horizon = floorHour(Date.now());
  await waitFor('the first capture', caughtUp(handle, horizon));
  const hour = startMs + 2 * HOUR;
  const before = (await world.documents('late/PageEvents')).filter((d) => d.hour === hour);

  const injected = [];
  for (const source of ['pageEvents', 'guideEvents']) {
    const res = await fetch(`${emulator.url}/_emulator/late-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source, hourMs: hour, count: 5 }),
    });
    expect(res.ok).toBe(true);
    injected.push((await res.json()) as { updatedKeys: Row[]; addedKeys: Row[] });
  }
  expect(injected[0]?.updatedKeys.length).toBeGreaterThan(0);
  expect(injected[0]?.addedKeys.length).toBeGreaterThan(0);

  // The rescan reads the hour again: updated rows replace their earlier version, new rows appear, nothing doubles.
  await waitFor('the late rows in the collection', async () => {
    const truth = await emulatorTruth(emulator.url, 'pageEvents', hour, hour + HOUR);
    const docs = (await world.documents('late/PageEvents')).filter((d) => d.hour === hour);
    const want = new Set(truth.map((r) => JSON.stringify(r)));
    return docs.length === truth.length && docs.every((d) => want.has(JSON.stringify(d)));
  });
  const after = (await world.documents('late/PageEvents')).filter((d) => d.hour === hour);
  expect(after.length).toBeGreaterThan(before.length);
  await waitFor('the late guide events', async () => {
    const docs = await world.documents('late/GuideEvents');
    const truth = await emulatorTruth(emulator.url, 'guideEvents', startMs, horizon);
    return docs.length === truth.length;
  });
  await expectEqualsTruth('late', 'PageEvents', startMs, horizon);
  await expectEqualsTruth('late', 'GuideEvents', startMs, horizon);
  // A binding counts a rescan once its whole range is read again, after the late rows land, and then reports it.
  const rescanned = await waitFor('every binding to report a finished rescan', async () => {
    const { bindings } = await handle.query(captureStatusQuery);
    return bindings.every((b) => b.rescans > 0) && bindings;
  });
  expect(rescanned.map((b) => b.resource).sort()).toEqual(['GuideEvents', 'PageEvents']);
  await stop(handle);
});

type EmulatorStats = Record<string, Record<string, number>>;
const emulatorStats = async () => (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as EmulatorStats;
/** Page lists the emulator refused (any status but 200). */
const refusedPageLists = (stats: EmulatorStats) =>
  Object.entries(stats['GET /api/v1/page'] ?? {}).reduce((n, [status, count]) => n + (status === '200' ? 0 : count), 0);

test.each([
  ['a bad key', 'env:PENDO_BAD_KEY', 'PendoAuthError', /rejected the integration key/],
  ['a key of another region', 'env:PENDO_EU_KEY', 'PendoWrongRegion', /another region/],
])('%s ends the binding with a non-retryable failure and a readable status', async (_what, keyRef, type, message) => {
  const name = `badkey-${type}`;
  const spec = captureSpec({ name, baseUrl: emulator.url, keyRef, resources: ['Page', 'PageEvents'] });
  const refusedBefore = refusedPageLists(await emulatorStats());
  const handle = await start(spec);
  const status = await waitFor(
    'both bindings to fail',
    async () => {
      const s = await handle.query(captureStatusQuery);
      return s.bindings.every((b) => b.state === 'failed') && s;
    },
    60_000,
  );
  for (const b of status.bindings) {
    expect(b.lastError?.type).toBe(type);
    expect(b.lastError?.message).toMatch(message);
  }
  // A binding reports `failed` to its capture, then closes: its workflow fails once the report is signalled.
  for (const resource of ['Page', 'PageEvents']) {
    const binding = client.workflow.getHandle(bindingWorkflowId(name, resource));
    await waitFor(`${resource} to close`, async () => (await binding.describe()).status.name !== 'RUNNING', 30_000);
    expect((await binding.describe()).status.name).toBe('FAILED');
  }
  // One attempt, no retry loop: the failure is marked non-retryable. PageEvents reads with an activity; Page polls
  // with a watch activity, whose attempts are the emulator's refused requests.
  const history = await client.workflow.getHandle(bindingWorkflowId(name, 'PageEvents')).fetchHistory();
  const events = history.events ?? [];
  const windows = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'captureEventWindow')
      .map((e) => String(e.eventId)),
  );
  const attempts = events
    .filter((e) => windows.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
    .map((e) => e.activityTaskStartedEventAttributes?.attempt);
  expect(attempts).toEqual([1]);
  expect(refusedPageLists(await emulatorStats()) - refusedBefore).toBe(1);
  await stop(handle);
});
