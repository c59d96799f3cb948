import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCaptureFile } from '../../src/config/load';
import { loadRuntimeConfig } from '../../src/config/runtime';
import { queryStatus, startCapture } from '../../src/client/commands/capture-control';
import { statusTable } from '../../src/client/format/status-table';
import type { CaptureSpec, CaptureStatus } from '../../src/shared/capture-types';
import { connectClient } from '../../src/client/connect';
import { stopSignal } from '../../src/shared/messages';
import { captureWorkflowId } from '../../src/shared/task-queues';
import { LocalCollections } from '../../src/sinks/collections';
import { freePort, startDevServer, type DevServer } from '../lib/temporal-dev-server';
import { type Managed, startPendoflow } from './processes';

const ROOT = resolve(__dirname, '..', '..');
const DEMO_KEY = '5f1c2b7e-3d4a-4c8b-9e21-0d6f7a8b9c10.us';
const HOUR = 3_600_000;

/**
 * `npm run demo [-- --once]`: a dev server, the Pendo emulator and a worker, then the example capture.
 * With --once it waits for every binding to catch up, prints a summary, stops everything and exits 0.
 */
async function main(argv: string[]): Promise<void> {
  const once = argv.includes('--once');
  const dataDir = join(ROOT, '.data', once ? 'demo-once' : 'demo');
  if (once) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const started: Managed[] = [];
  let server: DevServer | undefined;
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const p of started.reverse()) await p.stop().catch(() => undefined);
    await server?.stop();
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    const uiPort = once ? undefined : await freePort();
    server = await startDevServer({ uiPort, dbFile: once ? undefined : join(dataDir, 'temporal.db') });
    log(`Temporal dev server on ${server.address}${server.uiUrl ? `, UI at ${server.uiUrl}` : ''}`);

    const pendoPort = await freePort();
    const emulatorArgs = ['emulator', 'pendo', '--port', String(pendoPort), '--seed', '42', '--key', DEMO_KEY];
    started.push(await startPendoflow('pendo emulator', emulatorArgs, /listening|http:\/\/127\.0\.0\.1/));
    log(`Pendo emulator on http://127.0.0.1:${pendoPort}`);

    const env = {
      TEMPORAL_ADDRESS: server.address,
      PENDOFLOW_DATA_DIR: dataDir,
      PENDOFLOW_TASK_QUEUE: 'pendo-capture',
      PENDO_INTEGRATION_KEY: DEMO_KEY,
    };
    Object.assign(process.env, env);
    started.push(await startPendoflow('worker', ['worker'], /worker polling/, env));
    log('worker started');

    const [example] = loadCaptureFile(join(ROOT, 'examples', 'demo-capture.yaml'));
    if (!example) throw new Error('examples/demo-capture.yaml holds no capture');
    const spec: CaptureSpec = {
      ...example,
      endpoint: { ...example.endpoint, baseUrl: `http://127.0.0.1:${pendoPort}` },
      // A day of history makes the backfill worth watching.
      settings: { ...example.settings, startMs: Math.floor((Date.now() - 24 * HOUR) / HOUR) * HOUR },
    };
    const runtime = loadRuntimeConfig();
    log((await startCapture(spec, runtime)) ? `started capture ${spec.name}` : `capture ${spec.name} already running`);

    const status = await watch(spec.name, runtime, once);
    if (!once) return;
    await printSummary(spec, status, new LocalCollections(join(dataDir, 'collections')));
    const { client, close } = await connectClient(runtime);
    const handle = client.workflow.getHandle(captureWorkflowId(spec.name));
    await handle.signal(stopSignal, { reason: 'demo --once finished' });
    await handle.result();
    await close();
  } finally {
    if (once) await stopAll();
  }
}

/** Live progress until every binding has caught up (with --once), or until Ctrl-C. */
async function watch(
  name: string,
  runtime: ReturnType<typeof loadRuntimeConfig>,
  once: boolean,
): Promise<CaptureStatus> {
  const deadline = Date.now() + 15 * 60_000;
  let shown = '';
  for (;;) {
    const s = await queryStatus(name, runtime).catch(() => undefined);
    if (s) {
      const table = statusTable(s);
      if (table !== shown) console.log(`\n${table}`);
      shown = table;
      const failed = s.bindings.filter((b) => b.state === 'failed');
      if (failed.length)
        throw new Error(`binding(s) failed: ${failed.map((b) => `${b.resource}: ${b.lastError?.message}`).join('; ')}`);
      const caughtUp = s.bindings.every(
        (b) => b.lastPollAt !== null && (b.backfill === null || b.backfill.percent >= 100),
      );
      if (once && caughtUp) return s;
    }
    if (once && Date.now() > deadline) throw new Error('the capture did not catch up within 15 minutes');
    await sleep(once ? 1000 : 5000);
  }
}

async function printSummary(spec: CaptureSpec, status: CaptureStatus, collections: LocalCollections): Promise<void> {
  console.log('\nSummary: documents per collection');
  console.log('RESOURCE        COLLECTION              DOCUMENTS  TOMBSTONES');
  for (const b of spec.bindings) {
    let docs = 0;
    let tombstones = 0;
    for await (const line of collections.lines(b.target)) {
      docs++;
      if (line.includes('"_meta":{"op":"d"')) tombstones++;
    }
    console.log(
      `${b.resource.padEnd(15)} ${b.target.padEnd(23)} ${String(docs).padStart(9)}  ${String(tombstones).padStart(10)}`,
    );
  }
  const total = status.bindings.reduce((n, b) => n + b.documents, 0);
  console.log(`\n${status.bindings.length} bindings caught up; ${total} documents written in all.`);
}

function log(line: string): void {
  console.log(`demo: ${line}`);
}

main(process.argv.slice(3)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
