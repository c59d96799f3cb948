import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startCapture } from '../../src/client/commands/capture/control';
import { createDataflow } from '../../src/client/commands/dataflow/control';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec';
import { parseDataflowDocument } from '../../src/config/dataflow-load';
import { loadRuntimeConfig, type RuntimeConfig } from '../../src/config/runtime';
import type { CaptureStatus } from '../../src/workflows/capture/types';
import { dataflowStateQuery } from '../../src/workflows/dataflow/messages';
import { dataflowWorkflowId } from '../../src/workflows/dataflow/ids';
import type { DataflowState } from '../../src/workflows/dataflow/types';
import { captureStatusQuery } from '../../src/workflows/capture/messages';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { captureSpec, temporalAddress, TestWorld, waitFor } from '../helpers/harness';

/** A real HTTP listener that answers 401 and keeps every request it gets, headers and body. */
interface Listener {
  url: string;
  received: { url: string; headers: Record<string, unknown>; body: string }[];
  server: Server;
}

async function listen(host: string): Promise<Listener> {
  const received: Listener['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: { ...req.headers }, body });
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"no"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, received, server };
}

const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const WORKER_ONLY = `worker-only-${randomBytes(6).toString('hex')}`;
const PENDO_KEY = `${randomBytes(8).toString('hex')}.us`;
const AEP_SECRET = `aep-${randomBytes(8).toString('hex')}`;

let allowed: Listener; // on an allowed host: only the secret rules stand between the secret and it
let stranger: Listener; // on a host the worker does not allow
let world: TestWorld;
let secretFile: string;
let secretDir: string; // the worker's PENDOFLOW_SECRET_FILE_DIRS
let connection: Connection;
let client: Client;
let runtime: RuntimeConfig;

beforeAll(async () => {
  allowed = await listen('127.0.0.1');
  stranger = await listen('127.0.0.2');
  secretDir = await mkdtemp(join(tmpdir(), 'pendoflow-secret-dir-'));
  world = await TestWorld.create('attacks', {
    PENDOFLOW_ENCRYPTION_KEY: ENCRYPTION_KEY,
    PENDOFLOW_ALLOWED_HOSTS: '127.0.0.1',
    PENDOFLOW_SECRET_FILE_DIRS: secretDir,
    PENDO_TEST_KEY: PENDO_KEY,
    AEP_TEST_SECRET: AEP_SECRET,
  });
  secretFile = join(world.dataDir, 'worker-only', 'secret.txt');
  await mkdir(join(world.dataDir, 'worker-only'));
  await writeFile(secretFile, WORKER_ONLY);
  await symlink(secretFile, join(secretDir, 'pendo'));
  // The operator's view, with the codec key, to read what the worker reports.
  connection = await Connection.connect({ address: temporalAddress() });
  const codec = new AesGcmCodec(Buffer.from(ENCRYPTION_KEY, 'base64'));
  client = new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
  // The configs are sent by a CLI that holds no codec key, as in the issue.
  runtime = loadRuntimeConfig({ TEMPORAL_ADDRESS: temporalAddress(), PENDOFLOW_TASK_QUEUE: world.taskQueue });
  await world.startWorker();
});
afterAll(async () => {
  await connection?.close();
  await world?.dispose();
  if (secretDir) await rm(secretDir, { recursive: true, force: true });
  for (const l of [allowed, stranger]) await new Promise((r) => l?.server.close(r));
});

const everything = () => JSON.stringify([...allowed.received, ...stranger.received]);

async function captureError(name: string, keyRef: string, baseUrl: string): Promise<string> {
  await startCapture(captureSpec({ name, baseUrl, keyRef, resources: ['Page'] }), runtime);
  const handle = client.workflow.getHandle(captureWorkflowId(name));
  const status = await waitFor(`${name} to report an error`, async () => {
    const s: CaptureStatus = await handle.query(captureStatusQuery);
    return s.bindings[0]?.lastError ? s : undefined;
  });
  await handle.terminate('test over').catch(() => undefined); // it may have failed already
  return status.bindings[0]?.lastError?.message ?? '';
}

async function dataflowError(sandbox: string, clientSecret: string, imsUrl: string): Promise<string> {
  const spec = parseDataflowDocument(
    { name: `df-${sandbox}`, orgId: 'ORG@AdobeOrg', sandbox, clientId: 'c', clientSecret, imsUrl, platformUrl: imsUrl },
    'attack',
  );
  expect(await createDataflow(spec, runtime)).toBe('started');
  const handle = client.workflow.getHandle(dataflowWorkflowId(sandbox, spec.name));
  const state = await waitFor(`dataflow ${sandbox} to report an error`, async () => {
    const s: DataflowState = await handle.query(dataflowStateQuery);
    return s.lastError ? s : undefined;
  });
  await handle.terminate('test over').catch(() => undefined); // it may have failed already
  return state.lastError?.message ?? '';
}

describe('issue 8 finding 2: secret references and hosts from a client stay within what the worker allows', () => {
  afterEach(() => {
    expect(everything()).not.toContain(ENCRYPTION_KEY);
    expect(everything()).not.toContain(WORKER_ONLY);
  });

  test('capture access_token env:PENDOFLOW_ENCRYPTION_KEY with baseUrl at a listener: it receives nothing', async () => {
    const message = await captureError('a-env', 'env:PENDOFLOW_ENCRYPTION_KEY', allowed.url);
    expect(allowed.received).toEqual([]);
    expect(message).toMatch(/PENDOFLOW_ENCRYPTION_KEY.*not allowed/);
  });

  test('capture access_token file:<worker-only file>: the listener receives nothing', async () => {
    const message = await captureError('a-file', `file:${secretFile}`, allowed.url);
    expect(allowed.received).toEqual([]);
    expect(message).toMatch(/not allowed: the worker reads secret files only under/);
  });

  test('capture access_token file: through a symlink in the allowed folder: the listener receives nothing', async () => {
    const message = await captureError('a-link', `file:${secretDir}/pendo`, allowed.url);
    expect(allowed.received).toEqual([]);
    expect(message).toMatch(/is not readable or not allowed on this worker/);
  });

  test('dataflow clientSecret env:PENDOFLOW_ENCRYPTION_KEY with imsUrl at a listener: it receives nothing', async () => {
    const message = await dataflowError('aenv', 'env:PENDOFLOW_ENCRYPTION_KEY', allowed.url);
    expect(allowed.received).toEqual([]);
    expect(message).toMatch(/PENDOFLOW_ENCRYPTION_KEY.*not allowed/);
  });

  test('an allowed Pendo key with baseUrl at a host the worker does not allow: it receives nothing', async () => {
    const message = await captureError('a-host', 'env:PENDO_TEST_KEY', stranger.url);
    expect(stranger.received).toEqual([]);
    expect(message).toMatch(/127\.0\.0\.2.*not allowed.*PENDOFLOW_ALLOWED_HOSTS/);
    expect(message).not.toContain(PENDO_KEY);
  });

  test('an allowed AEP secret with imsUrl at a host the worker does not allow: it receives nothing', async () => {
    const message = await dataflowError('ahost', 'env:AEP_TEST_SECRET', stranger.url);
    expect(stranger.received).toEqual([]);
    expect(message).toMatch(/127\.0\.0\.2.*not allowed.*PENDOFLOW_ALLOWED_HOSTS/);
    expect(everything()).not.toContain(AEP_SECRET);
  });
});
