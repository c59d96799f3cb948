import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import type { CaptureStatus } from '../../src/workflows/capture/types';
import { runCli } from '../helpers/cli';
import { temporalAddress, TestWorld, waitFor } from '../helpers/harness';
import { makeTestPki, startTlsProxy, type TestPki, type TlsProxy } from '../helpers/tls-proxy';

const SERVER_NAME = 'temporal.pendoflow.test';
let dir: string;
let pki: TestPki;
let proxy: TlsProxy;
let emulator: RunningPendoEmulator;
let world: TestWorld;

/** The only Temporal settings the worker and the CLI get: the proxy, and a client certificate for it. */
function mtlsEnv(client: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clients[client]?.cert ?? '',
    TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clients[client]?.key ?? '',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pendoflow-mtls-'));
  pki = makeTestPki(dir, SERVER_NAME, ['pendoflow-worker', 'pendoflow-cli']);
  proxy = await startTlsProxy(pki, temporalAddress());
  emulator = await startPendoEmulator({ seed: 7 });
  world = await TestWorld.create('mtls', { ...mtlsEnv('pendoflow-worker'), PENDO_TEST_KEY: emulator.key });
  await world.startWorker();
});
afterAll(async () => {
  await world?.dispose();
  await emulator?.close();
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('issue 9 point 7: the worker and the CLI connect with mTLS through a proxy that requires a client certificate', async () => {
  expect(proxy.accepted).toContain('pendoflow-worker');
  expect(world.worker?.output()).toContain(`${proxy.address} (namespace default, mTLS)`);

  const name = `mtls-${Date.now()}`;
  const file = join(dir, 'capture.yaml');
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'endpoint:',
      '  credentials:',
      '    access_token: env:PENDO_TEST_KEY',
      `  baseUrl: ${emulator.url}`,
      'interval: 2s',
      'bindings:',
      '  - resource: Page',
      '',
    ].join('\n'),
  );
  const cli = { ...mtlsEnv('pendoflow-cli'), PENDOFLOW_TASK_QUEUE: world.taskQueue };
  const started = await runCli(['capture', 'start', '-f', file], cli);
  expect(started).toMatchObject({ code: 0, stdout: expect.stringMatching(/^started /) });
  expect(proxy.accepted).toContain('pendoflow-cli');

  // The status query is answered by the worker, so this goes CLI → proxy → server → proxy → worker.
  const status = await waitFor('the first poll, read through the proxy', async () => {
    const r = await runCli(['capture', 'status', name, '--json'], cli);
    if (r.code !== 0) throw new Error(r.stderr);
    const s = JSON.parse(r.stdout) as CaptureStatus;
    return s.bindings.every((b) => b.lastPollAt !== null) && s;
  });
  expect(status.bindings[0]?.documents).toBeGreaterThan(0);
  expect((await world.documents(`${name}/Page`)).length).toBe(status.bindings[0]?.documents);
  expect((await runCli(['capture', 'stop', name], cli)).code).toBe(0);
});

test('issue 9 point 7: without a client certificate the proxy refuses the CLI, and the CLI says what to set', async () => {
  const refusedBefore = proxy.refused.length;
  const r = await runCli(['capture', 'status', 'anything'], {
    ...mtlsEnv('pendoflow-cli'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: '',
    TEMPORAL_TLS_CLIENT_KEY_PATH: '',
  });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain(`cannot connect to Temporal at ${proxy.address} (namespace default, TLS)`);
  expect(r.stderr).toMatch(/set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/);
  expect(proxy.refused.length).toBeGreaterThan(refusedBefore);
  expect(proxy.refused.join('\n')).toMatch(/peer did not return a certificate/);
});
