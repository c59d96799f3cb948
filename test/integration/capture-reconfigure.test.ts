import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { REGISTRY } from '../../src/resources';
import { documentKey } from '../../src/resources/keys';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { floorHour } from '../../src/workflows/capture/cursor';
import {
  captureSpec,
  connectTestClient,
  emulatorTruth,
  expectCollectionEqualsTruth,
  HOUR,
  temporalAddress,
  TestWorld,
  waitFor,
  withoutMeta,
} from '../helpers/harness';

const run = promisify(execFile);

let emulator: RunningPendoEmulator;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 47, lateFraction: 0 });
  world = await TestWorld.create('reconf', { PENDO_TEST_KEY: emulator.key });
  ({ client, close: closeClient } = await connectTestClient());
  await world.startWorker();
});

afterAll(async () => {
  await closeClient?.();
  await world?.dispose();
  await emulator?.close();
});

const rescans = async (handle: WorkflowHandle<typeof capture>) =>
  (await handle.query(captureStatusQuery)).bindings[0]?.rescans ?? 0;

test('issue 8 finding 4: reconfigure -f with a file without startDate keeps the start, so late data is still rescanned', async () => {
  const name = 'reconf';
  const startMs = floorHour(Date.now()) - 8 * HOUR;
  const lateData = { mode: 'rescan', processingDelayMs: 0, rescanWindowMs: 24 * HOUR, rescanEveryMs: 3000 } as const;
  const spec = captureSpec({
    name,
    baseUrl: emulator.url,
    keyRef: 'env:PENDO_TEST_KEY',
    resources: ['PageEvents'],
    settings: { startMs, lateData: { ...lateData, settleDelayMs: 8 * HOUR } },
  });
  const handle = await client.workflow.start(capture, {
    workflowId: captureWorkflowId(name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
  const horizon = floorHour(Date.now());
  await waitFor('the backfill', async () => {
    const b = (await handle.query(captureStatusQuery)).bindings[0];
    return b?.cursor !== null && b?.cursor !== undefined && Date.parse(b.cursor) >= horizon;
  });

  // Only the interval changes; the late-data settings are as they run, and there is no startDate.
  const file = join(world.dataDir, 'reconfigure.json');
  await writeFile(
    file,
    JSON.stringify({
      name,
      endpoint: { credentials: { access_token: 'env:PENDO_TEST_KEY' }, baseUrl: emulator.url },
      bindings: [{ resource: 'PageEvents', target: `${name}/PageEvents` }],
      interval: '2s',
      lateData: { mode: 'rescan', processingDelay: 0, rescanWindow: '24h', rescanEvery: '3s' },
    }),
  );
  await run('node', ['bin/pendoflow.js', 'capture', 'reconfigure', name, '-f', file], {
    env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress() },
  });
  await waitFor('the new interval', async () => (await handle.query(captureStatusQuery)).intervalMs === 2000);

  const hour = floorHour(Date.now()) - 5 * HOUR;
  const res = await fetch(`${emulator.url}/_emulator/late-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'pageEvents', hourMs: hour, count: 20 }),
  });
  expect(res.ok).toBe(true);

  // Two full rescans after the injection: the first may have begun before it.
  const seen = await rescans(handle);
  await waitFor('two rescans after the late events', async () => (await rescans(handle)) >= seen + 2, 60_000);

  const def = REGISTRY.PageEvents;
  const truth = new Map(
    (await emulatorTruth(emulator.url, 'pageEvents', hour, hour + HOUR)).map((r) => [documentKey(def, r), r]),
  );
  const docs = new Map(
    (await world.documents(`${name}/PageEvents`))
      .filter((d) => d.hour === hour)
      .map((d) => [documentKey(def, d), withoutMeta(d)]),
  );
  const missing = [...truth.keys()].filter((k) => !docs.has(k)).length;
  const stale = [...docs].filter(([k, d]) => truth.has(k) && !isDeepStrictEqual(d, truth.get(k))).length;
  console.log(`finding 4: ${missing} rows missing, ${stale} stale of ${truth.size} in the late hour`);
  expect({ missing, stale }).toEqual({ missing: 0, stale: 0 });
  await expectCollectionEqualsTruth(world, emulator.url, `${name}/PageEvents`, 'PageEvents', startMs, horizon);

  await handle.signal(stopSignal, { reason: 'test done' });
  await handle.result();
});
