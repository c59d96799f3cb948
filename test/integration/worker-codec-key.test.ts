import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { captureSpec, temporalAddress, TestWorld, waitFor } from '../helpers/harness';

const EventType = temporal.api.enums.v1.EventType;
const poolKey = randomBytes(32).toString('base64');
let connection: Connection;
let sealed: Client;
let raw: Client;
const worlds: TestWorld[] = [];

beforeAll(async () => {
  connection = await Connection.connect({ address: temporalAddress() });
  sealed = new Client({
    connection,
    dataConverter: { payloadCodecs: [new AesGcmCodec(Buffer.from(poolKey, 'base64'))] },
  });
  raw = new Client({ connection });
});
afterAll(async () => {
  for (const w of worlds) await w.dispose();
  await connection?.close();
});

async function world(name: string, env: Record<string, string> = {}): Promise<TestWorld> {
  const w = await TestWorld.create(name, env);
  worlds.push(w);
  return w;
}

/** Starts a capture whose input the pool's key seals; its Pendo endpoint is never reached in these tests. */
async function startSealedCapture(name: string, taskQueue: string): Promise<string> {
  const workflowId = captureWorkflowId(name);
  const spec = captureSpec({ name, baseUrl: 'http://127.0.0.1:9', keyRef: 'inline-key-0000.us', resources: ['Page'] });
  await sealed.workflow.start(capture, { workflowId, taskQueue, args: [{ spec }] });
  return workflowId;
}

test('issue 8 finding 7: a worker without the pool key, or with another key, exits at start-up naming PENDOFLOW_ENCRYPTION_KEY', async () => {
  const probe = await world('codec-startup');
  const workflowId = await startSealedCapture(`keycheck-${Date.now()}`, probe.taskQueue);
  try {
    for (const key of [undefined, randomBytes(32).toString('base64')]) {
      const w = await world('codec-startup-worker', {
        PENDOFLOW_TASK_QUEUE: probe.taskQueue,
        ...(key ? { PENDOFLOW_ENCRYPTION_KEY: key } : {}),
      });
      const started = w.startWorker().then(
        () => 'polling',
        (err: Error) => err.message,
      );
      const outcome = await started;
      expect(outcome).toMatch(/exited with 1/);
      expect(outcome).toContain('PENDOFLOW_ENCRYPTION_KEY');
      expect(outcome).toContain(workflowId);
      expect(outcome).toMatch(/"level":"error","message":"worker not started[^\n]*PENDOFLOW_ENCRYPTION_KEY/);
    }
    // The pool's own key passes the check.
    const good = await world('codec-startup-good', {
      PENDOFLOW_TASK_QUEUE: probe.taskQueue,
      PENDOFLOW_ENCRYPTION_KEY: poolKey,
    });
    await expect(good.startWorker()).resolves.toBeDefined();
  } finally {
    await raw.workflow.getHandle(workflowId).terminate('test done');
  }
});

test('issue 8 finding 7: a keyless worker that meets a sealed payload logs an ERROR naming the workflow and the setting, and fails the task', async () => {
  const w = await world('codec-runtime');
  // Nothing runs on this queue yet, so the start-up check passes and the worker polls.
  await w.startWorker();
  const since = Date.now();
  const workflowId = await startSealedCapture(`keyrun-${Date.now()}`, w.taskQueue);
  try {
    const line = await waitFor(
      'an ERROR naming the workflow and PENDOFLOW_ENCRYPTION_KEY',
      async () =>
        w.worker
          ?.output()
          .split('\n')
          .find(
            (l) => l.includes('"level":"error"') && l.includes(workflowId) && l.includes('PENDOFLOW_ENCRYPTION_KEY'),
          ),
      60_000,
    );
    console.log(`keyless worker: ERROR logged ${Date.now() - since} ms after the sealed workflow started:\n${line}`);
    const failed = await waitFor('a WorkflowTaskFailed event', async () => {
      const history = await raw.workflow.getHandle(workflowId).fetchHistory();
      return history.events?.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    });
    expect(failed.workflowTaskFailedEventAttributes?.failure?.message).toContain('PENDOFLOW_ENCRYPTION_KEY');
    expect(failed.workflowTaskFailedEventAttributes?.failure?.message).toContain(workflowId);
  } finally {
    await raw.workflow.getHandle(workflowId).terminate('test done');
  }
});
