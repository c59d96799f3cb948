import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import { CAPTURE_NAME } from '../../src/workflows/common/search-attributes';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { freePort } from '../../scripts/lib/temporal-dev-server';
import { captureSpec, temporalAddress, TestWorld, waitFor, leaks } from '../helpers/harness';

let emulator: RunningPendoEmulator;
let world: TestWorld;
let metricsPort: number;
const encryptionKey = randomBytes(32).toString('base64');

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 3 });
  metricsPort = await freePort();
  world = await TestWorld.create('observability', {
    PENDOFLOW_ENCRYPTION_KEY: encryptionKey,
    PENDOFLOW_METRICS_PORT: String(metricsPort),
  });
  await world.startWorker();
});
afterAll(async () => {
  await world?.dispose();
  await emulator?.close();
});

test('an inline key never appears in history, queries, search attributes or logs; metrics and JSON logs are served', async () => {
  const connection = await Connection.connect({ address: temporalAddress() });
  const sealed = new Client({
    connection,
    dataConverter: { payloadCodecs: [new AesGcmCodec(Buffer.from(encryptionKey, 'base64'))] },
  });
  const raw = new Client({ connection });
  const id = captureWorkflowId('secret');
  try {
    const spec = captureSpec({
      name: 'secret',
      baseUrl: emulator.url,
      keyRef: emulator.key,
      resources: ['Page', 'PageEvents'],
    });
    const handle = await sealed.workflow.start(capture, {
      workflowId: id,
      taskQueue: world.taskQueue,
      args: [{ spec }],
      typedSearchAttributes: [{ key: CAPTURE_NAME, value: 'secret' }],
    });
    const status = await waitFor('the first poll', async () => {
      const s = await handle.query(captureStatusQuery);
      return s.bindings.every((b) => b.lastPollAt !== null && b.documents > 0) && s;
    });
    expect(JSON.stringify(status)).not.toContain(emulator.key);

    for (const wid of [id, `${id}:Page`, `${id}:PageEvents`]) {
      const history = await raw.workflow.getHandle(wid).fetchHistory();
      expect(history.events?.length).toBeGreaterThan(3);
      expect(leaks(history, emulator.key)).toBe(false);
      const described = await raw.workflow.getHandle(wid).describe();
      expect(JSON.stringify(described.raw.workflowExecutionInfo)).not.toContain(emulator.key);
    }
    // Without the key, the query result is sealed too.
    await expect(raw.workflow.getHandle(id).query(captureStatusQuery)).rejects.toThrow();

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^temporal_\w+/m);
    const documents = /pendoflow_documents_captured\{[^}]*resource="PageEvents"[^}]*\} (\d+)/.exec(metrics);
    expect(Number(documents?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/pendoflow_capture_lag_seconds\{[^}]*resource="Page"/);
    expect(metrics).not.toContain(emulator.key);

    await handle.signal(stopSignal, {});
    await handle.result();
    await world.worker?.stop();
    const lines = (world.worker?.output() ?? '').split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    const parsed = lines.map((l) => JSON.parse(l) as { level: string; message: string });
    expect(parsed.find((l) => l.message === 'worker polling')).toMatchObject({
      level: 'info',
      taskQueue: world.taskQueue,
    });
    expect(world.worker?.output()).not.toContain(emulator.key);
  } finally {
    await connection.close();
  }
});
