import type { Client, WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { pathValue } from '../../src/pendo/incremental';
import { REGISTRY } from '../../src/resources';
import type { ResourceName } from '../../src/resources';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { captureSpec, connectTestClient, TestWorld, waitFor, withoutMeta } from '../helpers/harness';
import { newestVersions, truthDocuments } from '../helpers/resources-truth';

const SIX: ResourceName[] = ['Segment', 'Account', 'Visitor', 'TrackType', 'AccountMetadata', 'VisitorMetadata'];
/** Before the emulator's seeded objects were made, so every one of them is captured. */
const START_MS = Date.UTC(2024, 0, 1);

let client: Client;
let closeClient: () => Promise<void>;
beforeAll(async () => ({ client, close: closeClient } = await connectTestClient()));
afterAll(async () => closeClient?.());

async function run(world: TestWorld, name: string, resources: ResourceName[], limit: number) {
  const spec = captureSpec({
    name,
    baseUrl: world.workerEnv.PENDO_BASE_URL as string,
    keyRef: 'env:PENDO_TEST_KEY',
    resources,
    settings: {
      startMs: START_MS,
      intervalMs: 1000,
      limits: { incrementalLimit: limit, backfillLimit: limit, windowHours: 24, requestTimeoutMs: 30_000 },
    },
  });
  return client.workflow.start(capture, {
    workflowId: captureWorkflowId(name),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
}

/** What differs between a collection and the truth: for snapshots the live documents, else the newest versions. */
async function differences(world: TestWorld, emulator: RunningPendoEmulator, target: string, resource: ResourceName) {
  const def = REGISTRY[resource];
  const docs = await world.documents(target);
  const truth = await truthDocuments(emulator.url, resource, START_MS);
  const want = new Map(truth.map((r) => [String(r[def.idField]), JSON.stringify(r)]));
  const have =
    def.kind === 'incremental'
      ? [...newestVersions(resource, docs).values()]
      : docs.filter((d) => (d._meta as { op: string }).op !== 'd').map(withoutMeta);
  const wrong = have.filter((d) => want.get(String(d[def.idField])) !== JSON.stringify(d)).length;
  const missing = truth.length - have.filter((d) => want.has(String(d[def.idField]))).length;
  const versions = docs.map((d) => JSON.stringify([pathValue(d, def.cursorField), d[def.idField]]));
  const twice = def.kind === 'incremental' ? versions.length - new Set(versions).size : 0;
  return { truth: truth.length, wrong, missing, twice };
}

async function expectExact(world: TestWorld, emulator: RunningPendoEmulator, name: string, resource: ResourceName) {
  const found = await waitFor(
    `${resource} to equal the truth`,
    async () => {
      const d = await differences(world, emulator, `${name}/${resource}`, resource);
      return d.wrong === 0 && d.missing === 0 && d.twice === 0 && d;
    },
    120_000,
  ).catch(async (err: Error) => {
    throw new Error(
      `${err.message}: ${JSON.stringify(await differences(world, emulator, `${name}/${resource}`, resource))}`,
    );
  });
  expect(found.truth).toBeGreaterThan(0);
}

async function stop(handle: WorkflowHandle<typeof capture>): Promise<void> {
  await handle.signal(stopSignal, {});
  await handle.result();
}

test('issue 12: the six more resources are captured exactly, a segment change and deletion included', async () => {
  // Every account and visitor shares one lastupdated in each bulk sync: more rows at one ms than the page limit.
  const emulator = await startPendoEmulator({ seed: 61, lateFraction: 0, hotSpots: 'stress' });
  const world = await TestWorld.create('six', { PENDO_TEST_KEY: emulator.key, PENDO_BASE_URL: emulator.url });
  try {
    await world.startWorker();
    const handle = await run(world, 'six', SIX, 25);
    for (const resource of SIX) await expectExact(world, emulator, 'six', resource);
    const segments = await truthDocuments(emulator.url, 'Segment');
    const admin = (method: string, id: string, body?: object) =>
      fetch(`${emulator.url}/_emulator/metadata/segment/${encodeURIComponent(id)}`, {
        method,
        body: body && JSON.stringify(body),
      });
    expect((await admin('PATCH', String(segments[0]?.id), { name: 'Renamed segment' })).status).toBe(200);
    expect((await admin('DELETE', String(segments[1]?.id))).status).toBe(200);
    await expectExact(world, emulator, 'six', 'Segment');
    const docs = await world.documents('six/Segment');
    expect(docs.find((d) => d.id === segments[1]?.id)?._meta).toMatchObject({ op: 'd' });
    const status = await handle.query(captureStatusQuery);
    expect(status.bindings.filter((b) => b.state === 'failed')).toEqual([]);
    await stop(handle);
  } finally {
    await world.dispose();
    await emulator.close();
  }
});

test('issue 12: a worker killed with SIGKILL mid-way through thousands of visitors still ends equal to the truth', async () => {
  const emulator = await startPendoEmulator({ seed: 67, lateFraction: 0, extraVisitors: 1500, faults: 'slow=1:200' });
  const world = await TestWorld.create('six-crash', { PENDO_TEST_KEY: emulator.key, PENDO_BASE_URL: emulator.url });
  try {
    await world.startWorker();
    const handle = await run(world, 'six-crash', ['Visitor', 'Account'], 100);
    await waitFor('600 visitors stored', async () => (await world.documents('six-crash/Visitor')).length >= 600);
    await world.worker?.kill();
    const atKill = (await world.documents('six-crash/Visitor')).length;
    await world.startWorker();
    expect(atKill).toBeLessThan((await truthDocuments(emulator.url, 'Visitor', START_MS)).length);
    await expectExact(world, emulator, 'six-crash', 'Visitor');
    await expectExact(world, emulator, 'six-crash', 'Account');
    await stop(handle);
  } finally {
    await world.dispose();
    await emulator.close();
  }
});
