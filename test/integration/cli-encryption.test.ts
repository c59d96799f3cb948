import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import type { CaptureStatus } from '../../src/workflows/capture/types';
import { runCli } from '../helpers/cli';
import { TestWorld, waitFor } from '../helpers/harness';

let emulator: RunningPendoEmulator;
let world: TestWorld;
let keyFile: string;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 9 });
  world = await TestWorld.create('sealed', { PENDO_TEST_KEY: emulator.key });
  keyFile = join(world.dataDir, 'encryption.key');
  writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  world.workerEnv.PENDOFLOW_ENCRYPTION_KEY = `file:${keyFile}`;
  await world.startWorker();
  cliEnv = { PENDOFLOW_TASK_QUEUE: world.taskQueue, PENDOFLOW_DATA_DIR: world.dataDir };
});
afterAll(async () => {
  await world?.dispose();
  await emulator?.close();
});

test('issue 9 point 2: the CLI decodes encrypted payloads with the key, and without it names PENDOFLOW_ENCRYPTION_KEY', async () => {
  const name = `sealed-${Date.now()}`;
  const file = join(world.dataDir, 'capture.yaml');
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
  const withKey = { ...cliEnv, PENDOFLOW_ENCRYPTION_KEY: `file:${keyFile}` };
  const started = await runCli(['capture', 'start', '-f', file], withKey);
  expect(started).toMatchObject({ code: 0, stdout: expect.stringMatching(/^started /) });

  const status = await waitFor('the first poll, read by the CLI with the key', async () => {
    const r = await runCli(['capture', 'status', name, '--json'], withKey);
    if (r.code !== 0) throw new Error(r.stderr);
    const s = JSON.parse(r.stdout) as CaptureStatus;
    return s.bindings.every((b) => b.lastPollAt !== null) && s;
  });
  expect(status.bindings.map((b) => b.resource)).toEqual(['Page']);
  const table = await runCli(['capture', 'status', name], withKey);
  expect(table.code).toBe(0);
  expect(table.stdout).toContain('Page');

  const without = await runCli(['capture', 'status', name], { ...cliEnv, PENDOFLOW_ENCRYPTION_KEY: '' });
  const wrongKey = `file:${join(world.dataDir, 'other.key')}`;
  writeFileSync(wrongKey.slice(5), randomBytes(32).toString('base64'));
  const wrong = await runCli(['capture', 'status', name], { ...cliEnv, PENDOFLOW_ENCRYPTION_KEY: wrongKey });
  for (const r of [without, wrong]) {
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/Unknown encoding/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('PENDOFLOW_ENCRYPTION_KEY=file:.data/demo/encryption.key');
  }
  expect(without.stderr).toMatch(/PENDOFLOW_ENCRYPTION_KEY is not set/);
  expect(wrong.stderr).toMatch(/with a different key than this process's PENDOFLOW_ENCRYPTION_KEY/);

  expect((await runCli(['capture', 'stop', name], withKey)).code).toBe(0);
});
