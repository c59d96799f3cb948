import type { Client, WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import type { CaptureSpec } from '../../src/workflows/capture/types';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import type { ResourceName } from '../../src/resources';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
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

let client: Client;
let closeClient: () => Promise<void>;
beforeAll(async () => ({ client, close: closeClient } = await connectTestClient()));
afterAll(async () => closeClient?.());

async function setFaults(emulator: RunningPendoEmulator, spec: string): Promise<void> {
  const res = await fetch(`${emulator.url}/_emulator/faults`, { method: 'PUT', body: JSON.stringify({ spec }) });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

async function run(world: TestWorld, spec: CaptureSpec): Promise<WorkflowHandle<typeof capture>> {
  return client.workflow.start(capture, {
    workflowId: captureWorkflowId(spec.name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
}

async function waitCaughtUp(handle: WorkflowHandle<typeof capture>, horizon: number): Promise<void> {
  await waitFor(
    'every binding to catch up',
    async () => {
      const s = await handle.query(captureStatusQuery);
      return s.bindings.every((b) => b.cursor !== null && Date.parse(b.cursor) >= horizon);
    },
    420_000,
  );
}

const expectEqualsTruth = async (
  world: TestWorld,
  emulator: RunningPendoEmulator,
  target: string,
  resource: ResourceName,
  fromMs: number,
  toMs: number,
) => expect(await expectCollectionEqualsTruth(world, emulator.url, target, resource, fromMs, toMs)).toBeGreaterThan(0);

test('a worker killed with SIGKILL at three points of a backfill still ends equal to the truth', async () => {
  const emulator = await startPendoEmulator({ seed: 31, lateFraction: 0, faults: 'slow=1:150' });
  const world = await TestWorld.create('crash', { PENDO_TEST_KEY: emulator.key });
  try {
    await world.startWorker();
    const startMs = floorHour(Date.now()) - 48 * HOUR;
    const spec = captureSpec({
      name: 'crash',
      baseUrl: emulator.url,
      keyRef: 'env:PENDO_TEST_KEY',
      resources: ['PageEvents', 'GuideEvents'],
      settings: {
        startMs,
        limits: { incrementalLimit: 200, backfillLimit: 200, windowHours: 2, requestTimeoutMs: 30_000 },
      },
    });
    const handle = await run(world, spec);
    const horizon = floorHour(Date.now() - 1);
    for (const point of [15, 45, 75]) {
      await waitFor(`backfill past ${point}%`, async () => {
        const s = await handle.query(captureStatusQuery);
        return s.bindings.some((b) => (b.backfill?.percent ?? 0) >= point);
      });
      await world.worker?.kill();
      await world.startWorker();
    }
    await waitCaughtUp(handle, horizon);
    await expectEqualsTruth(world, emulator, 'crash/PageEvents', 'PageEvents', startMs, horizon);
    await expectEqualsTruth(world, emulator, 'crash/GuideEvents', 'GuideEvents', startMs, horizon);
    await handle.signal(stopSignal, {});
    await handle.result();
  } finally {
    await world.dispose();
    await emulator.close();
  }
});

test('a run with 5xx, 429 bursts with and without Retry-After, and resets mid-body still ends equal to the truth', async () => {
  const emulator = await startPendoEmulator({ seed: 37, lateFraction: 0 });
  const world = await TestWorld.create('faults', { PENDO_TEST_KEY: emulator.key });
  try {
    await setFaults(emulator, '5xx=0.2,429=0.05,429-retry-after=0.05,reset=0.1,burst429=4');
    await world.startWorker();
    const startMs = floorHour(Date.now()) - 12 * HOUR;
    const resources: ResourceName[] = ['Page', 'PageEvents', 'TrackEvents', 'PollEvents'];
    const spec = captureSpec({
      name: 'faults',
      baseUrl: emulator.url,
      keyRef: 'env:PENDO_TEST_KEY',
      resources,
      settings: {
        startMs,
        limits: { incrementalLimit: 150, backfillLimit: 150, windowHours: 6, requestTimeoutMs: 30_000 },
      },
    });
    const handle = await run(world, spec);
    const horizon = floorHour(Date.now() - 1);
    await waitCaughtUp(handle, horizon);
    for (const r of resources.filter((x) => x !== 'Page')) {
      await expectEqualsTruth(world, emulator, `faults/${r}`, r, startMs, horizon);
    }
    const pages = (await world.documents('faults/Page')).map(withoutMeta);
    expect(pages.length).toBe((await emulatorTruth(emulator.url, 'page')).length);
    const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(stats)).toMatch(/"(429|500|502|503)"/);
    await handle.signal(stopSignal, {});
    await handle.result();
  } finally {
    await world.dispose();
    await emulator.close();
  }
});
