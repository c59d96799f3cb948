import type { Client } from '@temporalio/client';
import { startAepEmulator, type RunningAepEmulator } from '../../emulators/aep';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres-server';
import type { Row } from '../../src/resources';
import type { ResourceName } from '../../src/resources';
import type { Collections } from '../../src/store/contract';
import { postgresStore } from '../../src/store/postgres/store';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { floorHour } from '../../src/workflows/capture/cursor';
import { runCli } from '../helpers/cli';
import { captureSpec, connectTestClient, emulatorTruth, HOUR, leaks, TestWorld, waitFor } from '../helpers/harness';
import {
  admin,
  caughtUp,
  type Exactness,
  expectedUniqueIds,
  judge,
  liveBindings,
  MACHINE_RESOURCES,
  pipelineCapture,
  readAfter,
  received,
  snapshotTruth,
  startPipeline,
  sum,
} from '../helpers/machines';

const BATCH_MESSAGES = 500;
const NONE: Exactness = { lost: 0, duplicated: 0, stale: 0, missingTombstones: 0 };

let server: PostgresServer;
let client: Client;
let closeClient: () => Promise<void>;
beforeAll(async () => {
  server = await startPostgres();
  ({ client, close: closeClient } = await connectTestClient());
}, 60_000);
afterAll(async () => {
  await closeClient?.();
  await server?.stop();
});

async function documents(collections: Collections, target: string): Promise<Row[]> {
  const out: Row[] = [];
  for await (const line of collections.lines(target)) out.push(JSON.parse(line) as Row);
  return out;
}

interface Outcome {
  /** Per machine: what its view of the nine collections lacks or doubles. */
  machines: Exactness[];
  pipeline: { expected: number; lost: number; resent: number };
}

/**
 * Two workers on one task queue with their own PENDOFLOW_DATA_DIR, as on two machines, run a capture (rescan mode)
 * and a pipeline (settled hours into the AEP emulator) of all nine resources: a backfill with one worker SIGKILLed
 * mid-window (and restarted), then a metadata change, a deletion and late events.
 */
async function twoMachines(name: string, store: string | undefined): Promise<Outcome> {
  const pendo: RunningPendoEmulator = await startPendoEmulator({ seed: 53, lateFraction: 0, faults: 'slow=1:40' });
  const aep: RunningAepEmulator = await startAepEmulator({ port: 0 });
  const env = {
    PENDO_TEST_KEY: pendo.key,
    AEP_TEST_SECRET: aep.clientSecret,
    ...(store ? { PENDOFLOW_STORE: store } : {}),
  };
  const a = await TestWorld.create(`${name}-a`, env);
  const b = await TestWorld.create(`${name}-b`, { ...env, PENDOFLOW_TASK_QUEUE: a.taskQueue });
  try {
    const began = Date.now();
    const phases: Record<string, number> = {};
    const phase = (what: string) => (phases[what] = Math.round((Date.now() - began) / 1000));
    await Promise.all([a.startWorker(), b.startWorker()]);
    const startMs = floorHour(Date.now()) - 4 * HOUR;
    const horizon = floorHour(Date.now());
    const spec = captureSpec({
      name,
      baseUrl: pendo.url,
      keyRef: 'env:PENDO_TEST_KEY',
      resources: [...MACHINE_RESOURCES],
      settings: {
        startMs,
        limits: { incrementalLimit: 300, backfillLimit: 300, windowHours: 2, requestTimeoutMs: 30_000 },
        lateData: {
          mode: 'rescan',
          processingDelayMs: 0,
          rescanWindowMs: 24 * HOUR,
          rescanEveryMs: 3000,
          settleDelayMs: 8 * HOUR,
        },
      },
    });
    const captured = await client.workflow.start(capture, {
      workflowId: captureWorkflowId(name),
      taskQueue: a.taskQueue,
      args: [{ spec }],
    });
    const versions = await snapshotTruth(pendo.url);
    const piped = await startPipeline(client, { name: `${name}p`, taskQueue: a.taskQueue, pendo, aep, startMs });
    const { flowId, capture: pipedCapture } = await pipelineCapture(client, piped);

    // One machine dies mid-window during the backfill, and comes back.
    await waitFor('the backfill to pass 30%', async () => {
      const bindings = await liveBindings(client, captured);
      return bindings.some((x) => (x.backfill?.percent ?? 0) >= 30);
    });
    await a.worker?.kill();
    await a.startWorker();
    await caughtUp(client, captured, horizon);
    await caughtUp(client, pipedCapture, horizon);
    phase('caughtUp');
    const range = { fromMs: startMs, toMs: horizon };
    // The pipeline delivers settled hours once: late events after this are the capture's to read, not its.
    const events = await expectedUniqueIds(pendo.url, range, new Map(), new Map());

    // A metadata change, a deletion, late events.
    const page = versions.get('Page')?.[0] as { id: string };
    const gone = String(versions.get('Feature')?.[0]?.id);
    await admin(pendo, 'PATCH', `metadata/page/${page.id}`, { name: `Renamed in ${name}` });
    await admin(pendo, 'DELETE', `metadata/feature/${gone}`);
    for (const source of ['pageEvents', 'guideEvents'])
      await admin(pendo, 'POST', 'late-events', { source, hourMs: startMs + 2 * HOUR, count: 5 });
    const changedAt = Date.now();
    versions.set('Page', [...(versions.get('Page') ?? []), ...(await emulatorTruth(pendo.url, 'page'))]);
    await readAfter(client, [captured, pipedCapture], changedAt, captured);
    phase('readAfter');

    const deleted = new Map<ResourceName, string[]>([['Feature', [gone]]]);
    const view = async (world: TestWorld): Promise<Exactness> => {
      const opened = store ? await postgresStore(store) : undefined;
      const collections = opened?.collections ?? world.collections;
      try {
        const each: Exactness[] = [];
        for (const resource of MACHINE_RESOURCES) {
          const docs = await documents(collections, `${name}/${resource}`);
          each.push(await judge(pendo.url, resource, docs, range, deleted.get(resource)));
        }
        return sum(each);
      } finally {
        await opened?.close();
      }
    };
    // Shared, the store reaches the truth; split, the views stay as they are (wait a little, to be fair).
    let machines = [await view(a), await view(b)];
    await waitFor(
      'the collections to equal the truth',
      async () => {
        machines = [await view(a), await view(b)];
        return machines.every((m) => JSON.stringify(m) === JSON.stringify(NONE));
      },
      store ? 60_000 : 5_000,
    ).catch(() => undefined);

    const want = new Set([
      ...events,
      ...(await expectedUniqueIds(pendo.url, { fromMs: 0, toMs: 0 }, versions, deleted)),
    ]);
    let got = await received(aep.url, flowId);
    await waitFor(
      'every uniqueId at the inlet',
      async () => {
        got = await received(aep.url, flowId);
        return [...want].every((id) => got.ids.has(id));
      },
      store ? 120_000 : 5_000,
    ).catch(() => undefined);
    const pipeline = {
      expected: want.size,
      lost: [...want].filter((id) => !got.ids.has(id)).length,
      resent: got.records - got.ids.size,
    };
    // The export command reads the same store on either machine (or only that machine's disk).
    const exports = await Promise.all(
      [a, b].map((w) => runCli(['collections', 'export', `${name}/Page`], w.workerEnv)),
    );
    console.log(
      `issue 11, two machines on ${store ? 'one PostgreSQL store' : 'local files'}: ` +
        `collections per machine ${JSON.stringify(machines)}; pipeline ${JSON.stringify(pipeline)}; ` +
        `export of ${name}/Page exits ${exports.map((e) => e.code).join(' and ')}; phases (s) ${JSON.stringify(phases)}`,
    );
    if (store) {
      const password = new URL(store).password;
      for (const w of [a, b]) expect(w.worker?.output()).not.toContain(password);
      for (const h of [captured, piped]) expect(leaks(await h.fetchHistory(), password)).toBe(false);
      expect(exports.map((e) => e.code)).toEqual([0, 0]);
      expect(exports[0]?.stdout).toBe(exports[1]?.stdout);
    }
    await Promise.all([captured.terminate('test done'), piped.terminate('test done')]);
    return { machines, pipeline };
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
    await aep.close();
    await pendo.close();
  }
}

test('issue 11: two machines sharing a PostgreSQL store capture exactly: 0 lost, 0 duplicated, every tombstone', async () => {
  const outcome = await twoMachines('split2', await server.createDatabase('machines'));
  expect(outcome.machines).toEqual([NONE, NONE]);
  expect(outcome.pipeline.lost).toBe(0);
  // Only the batch in flight when the worker died may be sent again.
  expect(outcome.pipeline.resent).toBeLessThanOrEqual(BATCH_MESSAGES);
});

test('issue 11: two machines on local files each hold part of every collection, and re-emit what the other sent', async () => {
  const outcome = await twoMachines('split1', undefined);
  // The reason the README gives for PostgreSQL across machines. Which machine lacks what depends on which worker
  // ran which step; that something is lost, a tombstone missing, or a message sent twice does not.
  const wrong = sum(outcome.machines);
  expect(wrong.lost + wrong.missingTombstones + outcome.pipeline.lost + outcome.pipeline.resent).toBeGreaterThan(0);
});
