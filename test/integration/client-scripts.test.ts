import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { startAepEmulator, type RunningAepEmulator } from '../../emulators/aep';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { pipelineStopSignal, pipelineWorkflowId, stopSignal, captureWorkflowId } from '../../src/client/api';
import { connectTestClient, temporalAddress, TestWorld } from '../helpers/harness';
import { RESOURCE_NAMES } from '../../src/resources';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

let pendo: RunningPendoEmulator;
let aep: RunningAepEmulator;
let world: TestWorld;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  pendo = await startPendoEmulator({ seed: 7 });
  aep = await startAepEmulator({ port: 0 });
  world = await TestWorld.create('scripts', { PENDO_INTEGRATION_KEY: pendo.key, AEP_CLIENT_SECRET: aep.clientSecret });
  await world.startWorker();
});
afterAll(async () => {
  const { client, close } = await connectTestClient();
  await client.workflow
    .getHandle(captureWorkflowId(`scripts-${suffix}`))
    .signal(stopSignal, { reason: 'test over' })
    .catch(() => undefined);
  await client.workflow
    .getHandle(pipelineWorkflowId(`scripts-pipeline-${suffix}`))
    .signal(pipelineStopSignal, { reason: 'test over' })
    .catch(() => undefined);
  await close();
  await world?.dispose();
  await pendo?.close();
  await aep?.close();
});

/** An example file, pointed at this test's emulators, under a name of its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an example file's YAML, edited in place
type Doc = Record<string, any>;

function exampleFile(example: string, edit: (doc: Doc) => void): string {
  const doc = parse(readFileSync(join(ROOT, 'examples', example), 'utf8')) as Doc;
  edit(doc);
  const file = join(world.dataDir, example);
  writeFileSync(file, stringify(doc));
  return file;
}

/** Runs an example script as a user would: its own process, configured by the environment only. */
async function script(name: string, args: string[]): Promise<string> {
  const { stdout } = await run('npx', ['tsx', join('examples', 'scripts', name), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress(),
      PENDOFLOW_TASK_QUEUE: world.taskQueue,
      PENDOFLOW_DATA_DIR: world.dataDir,
    },
    timeout: 240_000,
  });
  return stdout;
}

test('issue 9 point 6, issue 10: the example scripts start a capture, reconfigure it by signal and by Update, and wait on its status', async () => {
  const name = `scripts-${suffix}`;
  const file = exampleFile('demo-capture.yaml', (doc) => {
    doc.name = name;
    doc.endpoint.baseUrl = pendo.url;
  });
  const started = await script('start-capture.ts', [file]);
  expect(started).toContain(`started pendo-capture:${name}`);
  expect(started).toMatch(/^Page: \w+, 18 documents$/m);

  const again = await script('start-capture.ts', [file]);
  expect(again).toContain(`pendo-capture:${name} was already running`);

  expect(await script('reconfigure-capture.ts', [name, '30000'])).toContain(`${name} now polls every 30s`);
  // issue 10: by Update, the script prints the status it is answered with, or the refusal with the field named.
  expect(await script('reconfigure-by-update.ts', [name, '45000'])).toContain(
    `${name} now polls every 45s (${RESOURCE_NAMES.length} bindings)`,
  );
  const refused = await script('reconfigure-by-update.ts', [name, '10']).catch(
    (err: { code: number; stderr: string }) => err,
  );
  expect(refused).toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/^refused, nothing changed: settings\.intervalMs: /m),
  });
  expect(await script('wait-for-backfill.ts', [name])).toMatch(
    new RegExp(`${name} caught up: \\d+ documents in ${RESOURCE_NAMES.length} collections`),
  );
});

test('issue 9 point 6: the example script starts a pipeline and waits for its inlet', async () => {
  const name = `scripts-pipeline-${suffix}`;
  const file = exampleFile('pipeline.yaml', (doc) => {
    doc.name = name;
    doc.dataflow.imsUrl = aep.url;
    doc.dataflow.platformUrl = aep.url;
    doc.dataflow.sandbox = `scripts${suffix}`;
    doc.capture.endpoint.baseUrl = pendo.url;
  });
  const out = await script('start-pipeline.ts', [file]);
  expect(out).toContain(`started pendo-pipeline:${name}`);
  expect(out).toMatch(new RegExp(`^inlet: ${aep.inletBaseUrl}/[0-9a-f]{64}$`, 'm'));
});
