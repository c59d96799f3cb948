import type { Client } from '@temporalio/client';
import { createInspector, startAepEmulator, type RunningAepEmulator } from '../../emulators/aep';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { contentHash } from '../../src/activities/snapshot';
import { parsePipelineDocument } from '../../src/config/pipeline-load';
import { REGISTRY } from '../../src/pendo/registry';
import { pipelineDeleteSignal, pipelineStateQuery, pipelineWorkflowId } from '../../src/shared/pipeline-messages';
import { RESOURCE_NAMES } from '../../src/shared/resources';
import { uniqueIdOf } from '../../src/sinks/messages';
import { pipeline } from '../../src/workflows';
import { floorHour } from '../../src/workflows/cursor';
import { connectTestClient, emulatorTruth, HOUR, TestWorld, waitFor } from '../helpers/harness';

const SNAPSHOT_KINDS = { Feature: 'feature', Guide: 'guide', Page: 'page', Report: 'report' } as const;
const BATCH_MESSAGES = 500;

let pendo: RunningPendoEmulator;
let aep: RunningAepEmulator;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  pendo = await startPendoEmulator({ seed: 41, lateFraction: 0, faults: 'slow=1:40' });
  aep = await startAepEmulator({ port: 0 });
  world = await TestWorld.create('pipeline', { PENDO_TEST_KEY: pendo.key, AEP_TEST_SECRET: aep.clientSecret });
  ({ client, close: closeClient } = await connectTestClient());
  await world.startWorker();
});
afterAll(async () => {
  await closeClient?.();
  await world?.dispose();
  await aep?.close();
  await pendo?.close();
});

/** Every uniqueId the truth of both emulators calls for: event rows of the settled hours, and each object's version. */
async function expectedUniqueIds(startMs: number, horizon: number): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const resource of RESOURCE_NAMES) {
    const def = REGISTRY[resource];
    if (def.kind === 'snapshot') {
      for (const obj of await emulatorTruth(pendo.url, SNAPSHOT_KINDS[resource as keyof typeof SNAPSHOT_KINDS])) {
        ids.add(uniqueIdOf(resource, { ...obj, _meta: { op: 'c', hash: contentHash(obj) } }));
      }
    } else {
      for (const row of await emulatorTruth(pendo.url, def.source as string, startMs, horizon))
        ids.add(uniqueIdOf(resource, row));
    }
  }
  return ids;
}

test('all nine resources stream into the AEP flow: one record per uniqueId, none missing, through a worker SIGKILL', async () => {
  const startMs = floorHour(Date.now()) - 8 * HOUR;
  const spec = parsePipelineDocument(
    {
      name: 'itest',
      monitorInterval: '1s',
      dataflow: {
        orgId: aep.orgId,
        sandbox: 'pipeline',
        clientId: aep.clientId,
        clientSecret: 'env:AEP_TEST_SECRET',
        imsUrl: aep.imsUrl,
        platformUrl: aep.platformUrl,
        monitorInterval: '2s',
      },
      capture: {
        endpoint: {
          credentials: { access_token: 'env:PENDO_TEST_KEY' },
          baseUrl: pendo.url,
          startDate: new Date(startMs).toISOString().replace('.000', ''),
          advanced: { backfill_limit: 400, window_hours: 2 },
        },
        interval: '2s',
        lateData: { mode: 'settledOnly', settleDelay: '0s' },
      },
    },
    'pipeline.test',
  );
  expect(spec.capture.bindings).toHaveLength(9);
  const handle = await client.workflow.start(pipeline, {
    workflowId: pipelineWorkflowId('itest'),
    taskQueue: world.taskQueue,
    args: [{ spec }],
  });
  const inspector = createInspector(aep.url);

  const streaming = await waitFor('the pipeline to stream', async () => {
    const s = await handle.query(pipelineStateQuery);
    return s.phase === 'streaming' && s.dataflow?.flowId ? s : undefined;
  });
  const flowId = streaming.dataflow?.flowId as string;
  expect(streaming.dataflow?.inletUrl).toMatch(/\/collection\/[0-9a-f]+$/);

  // Kill the worker mid-stream, then bring it back.
  await waitFor('records to arrive', async () => (await inspector.records(flowId)).length > 1000);
  await world.worker?.kill();
  const atKill = (await inspector.records(flowId)).length;
  await world.startWorker();

  const horizon = floorHour(Date.now());
  const expected = await expectedUniqueIds(startMs, horizon);
  const received = await waitFor(
    'every record to arrive',
    async () => {
      const records = await inspector.records(flowId);
      const ids = new Set(records.map((r) => (r.input as { uniqueId: string }).uniqueId));
      return ids.size >= expected.size && { records, ids };
    },
    300_000,
  );
  expect(atKill).toBeLessThan(received.records.length);
  expect([...received.ids].sort()).toEqual([...expected].sort());
  // A batch in flight when the worker died may be sent again (same uniqueIds); nothing else is.
  const duplicates = received.records.length - received.ids.size;
  console.log(`pipeline: ${received.ids.size} unique records, ${duplicates} resent after the SIGKILL`);
  expect(duplicates).toBeLessThanOrEqual(BATCH_MESSAGES);
  expect(received.records.filter((r) => r.errors.length > 0)).toEqual([]);

  const state = await handle.query(pipelineStateQuery);
  expect(state.capture?.bindings.map((b) => b.resource).sort()).toEqual([...RESOURCE_NAMES].sort());

  // Deleting the pipeline stops the capture, then removes the dataflow.
  await handle.signal(pipelineDeleteSignal, { reason: 'test done' });
  const final = await handle.result();
  expect(final.phase).toBe('deleted');
  expect(final.capture?.closed).toBe(true);
  const counts = await inspector.counts('pipeline');
  expect(counts.flows).toBe(0);
});
