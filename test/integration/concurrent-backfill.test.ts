import type { Client, WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import type { CaptureSpec, CaptureStatus } from '../../src/workflows/capture/types';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import type { ResourceName } from '../../src/resources';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { floorHour } from '../../src/workflows/capture/cursor';
import {
  captureSpec,
  connectTestClient,
  expectCollectionEqualsTruth,
  HOUR,
  TestWorld,
  waitFor,
} from '../helpers/harness';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

let client: Client;
let closeClient: () => Promise<void>;
beforeAll(async () => ({ client, close: closeClient } = await connectTestClient()));
afterAll(async () => closeClient?.());

const CONCURRENT_REQUESTS = 6;

function concurrentSpec(name: string, emulator: RunningPendoEmulator, resources: ResourceName[], hours: number) {
  return captureSpec({
    name,
    baseUrl: emulator.url,
    keyRef: 'env:PENDO_TEST_KEY',
    resources,
    settings: {
      startMs: floorHour(Date.now()) - hours * HOUR,
      limits: {
        incrementalLimit: 300,
        backfillLimit: 300,
        windowHours: 2,
        requestTimeoutMs: 30_000,
        backfillConcurrency: 4,
        requestsPerSecond: 200,
        concurrentRequests: CONCURRENT_REQUESTS,
      },
    },
  });
}

/** Polls the capture until every binding is caught up, keeping the most windows any binding had in flight. */
async function watchUntilCaughtUp(
  handle: WorkflowHandle<typeof capture>,
  horizon: number,
  onPoll: (s: CaptureStatus) => Promise<void> = async () => undefined,
): Promise<{ mostInFlight: number; slotsSeen: Set<number>; last: CaptureStatus }> {
  let mostInFlight = 0;
  const slotsSeen = new Set<number>();
  const last = await waitFor(
    'every binding to catch up',
    async () => {
      const s = await handle.query(captureStatusQuery);
      for (const b of s.bindings) {
        mostInFlight = Math.max(mostInFlight, b.backfill?.inFlight?.length ?? 0);
        if (b.backfill?.slots !== undefined) slotsSeen.add(b.backfill.slots);
      }
      await onPoll(s);
      return s.bindings.every((b) => b.cursor !== null && Date.parse(b.cursor) >= horizon) && s;
    },
    300_000,
  );
  return { mostInFlight, slotsSeen, last };
}

async function run(world: TestWorld, spec: CaptureSpec): Promise<WorkflowHandle<typeof capture>> {
  return client.workflow.start(capture, {
    workflowId: captureWorkflowId(spec.name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
}

const peakLoad = async (emulator: RunningPendoEmulator): Promise<number> =>
  ((await (await fetch(`${emulator.url}/_emulator/load`, { method: 'POST' })).json()) as { peak: number }).peak;

test('issue 13: concurrent windows on two workers, one killed twice mid-backfill: exact, 0 lost, 0 duplicated', async () => {
  // Each answer waits, so windows overlap, a kill lands on windows in flight, and a restarted worker (a few seconds)
  // is back before the backfill passes the next kill's mark.
  const emulator = await startPendoEmulator({ seed: 61, lateFraction: 0, latency: 'aggregation=300' });
  const world = await TestWorld.create('concrash', { PENDO_TEST_KEY: emulator.key });
  let other: WorkerProcess | undefined;
  try {
    await world.startWorker();
    other = await startWorkerProcess(world.workerEnv);
    const resources: ResourceName[] = ['PageEvents', 'GuideEvents'];
    const spec = concurrentSpec('concrash', emulator, resources, 72);
    const handle = await run(world, spec);
    const horizon = floorHour(Date.now() - 1);
    const kills = [30, 60];
    const { mostInFlight } = await watchUntilCaughtUp(handle, horizon, async (s) => {
      const next = kills[0];
      if (next === undefined || !s.bindings.some((b) => (b.backfill?.percent ?? 0) >= next)) return;
      kills.shift();
      await other?.kill();
      other = await startWorkerProcess(world.workerEnv);
    });
    expect(kills).toEqual([]);
    for (const r of resources) {
      const rows = await expectCollectionEqualsTruth(
        world,
        emulator.url,
        `concrash/${r}`,
        r,
        spec.settings.startMs,
        horizon,
      );
      expect(rows).toBeGreaterThan(0);
    }
    expect(mostInFlight).toBeGreaterThan(1);
    // Two bindings of four windows each, within the capture's six concurrent requests.
    expect(await peakLoad(emulator)).toBeLessThanOrEqual(CONCURRENT_REQUESTS);
    await handle.signal(stopSignal, {});
    await handle.result();
  } finally {
    await other?.stop();
    await world.dispose();
    await emulator.close();
  }
});

test('issue 13: concurrent windows under a 429 storm: exact, 0 lost, 0 duplicated, and the whole capture slows', async () => {
  const emulator = await startPendoEmulator({
    seed: 67,
    lateFraction: 0,
    latency: 'aggregation=60',
    faults: '429=0.15,429-retry-after=0.05,burst429=6',
  });
  const world = await TestWorld.create('constorm', { PENDO_TEST_KEY: emulator.key });
  try {
    await world.startWorker();
    const resources: ResourceName[] = ['PageEvents', 'TrackEvents', 'PollEvents'];
    const spec = concurrentSpec('constorm', emulator, resources, 24);
    const handle = await run(world, spec);
    const horizon = floorHour(Date.now() - 1);
    const { slotsSeen, last } = await watchUntilCaughtUp(handle, horizon);
    for (const r of resources) {
      await expectCollectionEqualsTruth(world, emulator.url, `constorm/${r}`, r, spec.settings.startMs, horizon);
    }
    // Three event bindings share six requests: two windows each, until 429s halve them.
    expect([...slotsSeen].sort()).toEqual([1, 2]);
    // Every binding met 429s of its own, and was slowed by its siblings' too.
    for (const b of last.bindings) {
      expect(b.throttles ?? 0).toBeGreaterThan(0);
      expect(b.slowDowns ?? 0).toBeGreaterThan(0);
    }
    const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(stats)).toMatch(/"429":\d+/);
    await handle.signal(stopSignal, {});
    await handle.result();
  } finally {
    await world.dispose();
    await emulator.close();
  }
});
