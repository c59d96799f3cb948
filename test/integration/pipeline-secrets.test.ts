import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createInspector, startAepEmulator, type RunningAepEmulator } from '../../emulators/aep';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { startPipeline } from '../../src/client/commands/pipeline/control';
import { parsePipelineDocument } from '../../src/config/pipeline-load';
import { loadRuntimeConfig } from '../../src/config/runtime';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec';
import { pipelineStateQuery, pipelineStopSignal } from '../../src/workflows/pipeline/messages';
import { pipelineWorkflowId } from '../../src/workflows/pipeline/ids';
import { temporalAddress, TestWorld, waitFor, leaks } from '../helpers/harness';

const AEP_SECRET = `aep-inline-secret-${randomBytes(6).toString('hex')}`;
const encryptionKey = randomBytes(32).toString('base64');
let pendo: RunningPendoEmulator;
let aep: RunningAepEmulator;
let world: TestWorld;

beforeAll(async () => {
  pendo = await startPendoEmulator({ seed: 43, lateFraction: 0 });
  aep = await startAepEmulator({ port: 0, clientSecret: AEP_SECRET });
  world = await TestWorld.create('secrets', { PENDOFLOW_ENCRYPTION_KEY: encryptionKey });
  await world.startWorker();
});
afterAll(async () => {
  await world?.dispose();
  await aep?.close();
  await pendo?.close();
});

test('with an inline Pendo key and an inline AEP secret, neither appears in any history, query, search attribute or log', async () => {
  const spec = parsePipelineDocument(
    {
      name: 'secrets',
      monitorInterval: '1s',
      dataflow: {
        orgId: aep.orgId,
        sandbox: 'secrets',
        clientId: aep.clientId,
        clientSecret: AEP_SECRET,
        imsUrl: aep.imsUrl,
        platformUrl: aep.platformUrl,
        monitorInterval: '2s',
      },
      capture: {
        endpoint: { credentials: { access_token: pendo.key }, baseUrl: pendo.url },
        interval: '2s',
        lateData: { mode: 'settledOnly', settleDelay: '0s' },
        bindings: [{ resource: 'Page' }, { resource: 'PageEvents' }],
      },
    },
    'secrets.test',
  );
  const runtime = {
    ...loadRuntimeConfig({ TEMPORAL_ADDRESS: temporalAddress(), PENDOFLOW_TASK_QUEUE: world.taskQueue }),
  };
  // Refused in clear: the inline secrets would be stored in the history.
  await expect(startPipeline(spec, runtime)).rejects.toThrow(/inline.*PENDOFLOW_ENCRYPTION_KEY/);
  expect(await startPipeline(spec, { ...runtime, encryptionKey })).toBe(true);

  const connection = await Connection.connect({ address: temporalAddress() });
  const sealed = new Client({
    connection,
    dataConverter: { payloadCodecs: [new AesGcmCodec(Buffer.from(encryptionKey, 'base64'))] },
  });
  const raw = new Client({ connection });
  try {
    const handle = sealed.workflow.getHandle(pipelineWorkflowId('secrets'));
    const state = await waitFor('records in AEP', async () => {
      const s = await handle.query(pipelineStateQuery);
      const flowId = s.dataflow?.flowId;
      return flowId && (await createInspector(aep.url).records(flowId)).length > 0 && s;
    });
    expect(JSON.stringify(state)).not.toContain(AEP_SECRET);
    expect(JSON.stringify(state)).not.toContain(pendo.key);

    const ids = [
      pipelineWorkflowId('secrets'),
      'aep-dataflow:secrets:secrets',
      'pendo-capture:secrets',
      'pendo-capture:secrets:Page',
      'pendo-capture:secrets:PageEvents',
    ];
    for (const id of ids) {
      const history = await raw.workflow.getHandle(id).fetchHistory();
      expect(history.events?.length).toBeGreaterThan(3);
      for (const secret of [AEP_SECRET, pendo.key]) expect(`${id}: ${leaks(history, secret)}`).toBe(`${id}: false`);
      const info = JSON.stringify((await raw.workflow.getHandle(id).describe()).raw.workflowExecutionInfo);
      expect(info).not.toContain(AEP_SECRET);
      expect(info).not.toContain(pendo.key);
    }
    await handle.signal(pipelineStopSignal, {});
    await handle.result();
    await world.worker?.stop();
    const logs = world.worker?.output() ?? '';
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(AEP_SECRET);
    expect(logs).not.toContain(pendo.key);
  } finally {
    await connection.close();
  }
});
