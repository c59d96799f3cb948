import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInspector } from '../../emulators/aep';
import { createAepClients } from '../../src/aep';
import { loadPipelineFile } from '../../src/config/pipeline-load';
import { loadRuntimeConfig, type RuntimeConfig } from '../../src/config/runtime';
import { queryStatus } from '../../src/client/commands/capture/control';
import { pipelineText, queryPipeline, startPipeline } from '../../src/client/commands/pipeline/control';
import { statusTable } from '../../src/client/format/status-table';
import type { CaptureStatus } from '../../src/workflows/capture/types';
import { connectClient } from '../../src/client/connect';
import { pipelineStopSignal } from '../../src/workflows/pipeline/messages';
import { pipelineWorkflowId } from '../../src/workflows/pipeline/ids';
import type { PipelineSpec, PipelineState } from '../../src/workflows/pipeline/types';
import { toMessage } from '../../src/sinks/messages';
import { LocalCollections } from '../../src/sinks/collections';
import { freePort, startDevServer, temporalCliPath, type DevServer } from '../lib/temporal-dev-server';
import { type Managed, startPendoflow } from './processes';

const ROOT = resolve(__dirname, '..', '..');
const DEMO_KEY = '5f1c2b7e-3d4a-4c8b-9e21-0d6f7a8b9c10.us';
const AEP_SECRET = 'p8e-demo-secret-not-for-production';
const HOUR = 3_600_000;

/**
 * `npm run demo [-- --once]`: a dev server with its UI, both emulators, a codec server and a worker, then the
 * example pipeline: the AEP dataflow is provisioned and all nine Pendo resources stream into its inlet.
 * With --once it waits until every resource has caught up and reached AEP, prints a summary, stops everything
 * and exits 0.
 */
async function main(argv: string[]): Promise<void> {
  const once = argv.includes('--once');
  const dataDir = join(ROOT, '.data', once ? 'demo-once' : 'demo');
  startClean(dataDir);

  const started: Managed[] = [];
  let server: DevServer | undefined;
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    const names = [...started].reverse().map((p) => p.name);
    if (server) names.push('Temporal dev server');
    if (!once && names.length) log(`stopping ${names.join(', ')}…`);
    for (const p of started.reverse()) await p.stop().catch(() => undefined);
    await server?.stop();
    if (!once && names.length) log(`stopped ${names.length} processes; the next npm run demo starts clean`);
  };
  const interrupted = (signal: string) => {
    if (process.stdout.isTTY) process.stdout.write('\n');
    log(`${signal} received`);
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', () => interrupted('Ctrl-C'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));

  try {
    const encryptionKey = demoEncryptionKey(dataDir);
    // Temporal's usual ports, and the ones examples/*.yaml name, whenever they are free.
    const [temporalPort, uiPort, codecPort, pendoPort, aepPort] = await Promise.all([
      preferredPort(7233),
      preferredPort(8233),
      preferredPort(8888),
      preferredPort(4010),
      preferredPort(4020),
    ]);
    const env = {
      PENDOFLOW_DATA_DIR: dataDir,
      PENDOFLOW_TASK_QUEUE: 'pendo-capture',
      PENDOFLOW_ENCRYPTION_KEY: encryptionKey,
      PENDO_INTEGRATION_KEY: DEMO_KEY,
      AEP_CLIENT_SECRET: AEP_SECRET,
      // The demo's own dev server: a Temporal profile of the user's (TLS, an API key) must not apply to it.
      TEMPORAL_CONFIG_FILE: '/dev/null',
      // The emulators are not Pendo's or Adobe's hosts: the worker sends to them only when told.
      PENDOFLOW_ALLOWED_HOSTS: '127.0.0.1',
    };
    Object.assign(process.env, env);

    started.push(
      await startPendoflow(
        'codec server',
        [
          'codec-server',
          '--port',
          String(codecPort),
          '--cors-origin',
          `http://127.0.0.1:${uiPort}`,
          `http://localhost:${uiPort}`,
        ],
        /codec server on/,
      ),
    );
    server = await startDevServer({
      port: temporalPort,
      uiPort: once ? undefined : uiPort,
      uiCodecEndpoint: once ? undefined : `http://127.0.0.1:${codecPort}`,
      dbFile: once ? undefined : join(dataDir, 'temporal.db'),
    });
    process.env.TEMPORAL_ADDRESS = server.address;
    log(`Temporal dev server on ${server.address}`);

    started.push(
      await startPendoflow(
        'Pendo emulator',
        ['emulator', 'pendo', '--port', String(pendoPort), '--seed', '42', '--key', DEMO_KEY],
        /listening/,
      ),
    );
    started.push(
      await startPendoflow(
        'AEP emulator',
        // Its entities live next to the dev server's state: a demo run again finds the dataflow it provisioned.
        [
          'emulator',
          'aep',
          '--port',
          String(aepPort),
          '--client-secret',
          AEP_SECRET,
          '--data-dir',
          join(dataDir, 'aep-emulator'),
        ],
        /127\.0\.0\.1/,
      ),
    );
    log(`Pendo emulator on http://127.0.0.1:${pendoPort}, AEP emulator on http://127.0.0.1:${aepPort}`);
    const header = once
      ? ''
      : demoHeader({ server, codecPort, pendoPort, aepPort, dataDir, keyFile: join(dataDir, 'encryption.key') });
    started.push(await startPendoflow('worker', ['worker'], /worker polling/, { TEMPORAL_ADDRESS: server.address }));
    log('worker started (payloads encrypted)');

    const example = loadPipelineFile(join(ROOT, 'examples', 'pipeline.yaml'));
    const aepUrl = `http://127.0.0.1:${aepPort}`;
    const spec: PipelineSpec = {
      ...example,
      dataflow: { ...example.dataflow, aep: { ...example.dataflow.aep, imsUrl: aepUrl, platformUrl: aepUrl } },
      capture: {
        ...example.capture,
        endpoint: { ...example.capture.endpoint, baseUrl: `http://127.0.0.1:${pendoPort}` },
        // A day of history; with settledOnly, the hours older than the settle delay reach AEP.
        settings: { ...example.capture.settings, startMs: Math.floor((Date.now() - 24 * HOUR) / HOUR) * HOUR },
      },
    };
    const runtime = loadRuntimeConfig();
    log(
      (await startPipeline(spec, runtime)) ? `started pipeline ${spec.name}` : `pipeline ${spec.name} already running`,
    );

    const status = await watch(spec.capture.name, spec.name, runtime, once, header);
    if (!once) return;
    const state = await queryPipeline(spec.name, runtime);
    await printSummary(spec, status, state, new LocalCollections(join(dataDir, 'collections')), aepUrl);
    const { client, close } = await connectClient(runtime);
    const handle = client.workflow.getHandle(pipelineWorkflowId(spec.name));
    await handle.signal(pipelineStopSignal, { reason: 'demo --once finished' });
    await handle.result();
    await close();
  } finally {
    // Without --once only a failure gets here: nothing it started may outlive it.
    await stopAll();
  }
}

/** The demo's payload key: kept in its data folder, so the UI can decode what earlier runs wrote. */
function demoEncryptionKey(dataDir: string): string {
  const file = join(dataDir, 'encryption.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * Each run starts from nothing but its payload key: the dev server's database, the collections and the emulators'
 * state all go, so no workflow of an earlier run can point at emulators that are gone.
 */
function startClean(dataDir: string): void {
  const kept = 'encryption.key';
  mkdirSync(dataDir, { recursive: true });
  const removed = readdirSync(dataDir).filter((name) => name !== kept);
  for (const name of removed) rmSync(join(dataDir, name), { recursive: true, force: true });
  if (removed.length) log(`starting clean: removed the previous run's state from ${dataDir}`);
}

/** `port` when nothing listens on it, otherwise any free port. */
async function preferredPort(port: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  return free ? port : freePort();
}

/** What stays on screen: where everything is, and the lines that point a shell at this demo. */
function demoHeader(opts: {
  server: DevServer;
  codecPort: number;
  pendoPort: number;
  aepPort: number;
  dataDir: string;
  keyFile: string;
}): string {
  const temporalBin = dirname(temporalCliPath());
  const exports = [
    `export TEMPORAL_ADDRESS=${opts.server.address} TEMPORAL_NAMESPACE=default TEMPORAL_CONFIG_FILE=/dev/null`,
    `export TEMPORAL_CODEC_ENDPOINT=http://127.0.0.1:${opts.codecPort}`,
    `export PENDOFLOW_ENCRYPTION_KEY=file:${opts.keyFile} PENDOFLOW_DATA_DIR=${opts.dataDir}`,
    // What a second worker needs to join this demo's task queue: the emulators' own credentials (they open
    // nothing else, so printing them is harmless) and the emulators' host.
    `export PENDOFLOW_TASK_QUEUE=pendo-capture PENDOFLOW_ALLOWED_HOSTS=127.0.0.1`,
    `export PENDO_INTEGRATION_KEY=${DEMO_KEY} AEP_CLIENT_SECRET=${AEP_SECRET}  # the emulators' keys, not real ones`,
    `export PATH="${temporalBin}:$PATH"`,
  ];
  const envFile = join(opts.dataDir, 'env.sh');
  writeFileSync(envFile, `${exports.join('\n')}\n`);
  return [
    'pendoflow demo · Ctrl-C stops everything',
    `  Temporal UI     ${opts.server.uiUrl ?? '—'}  (payloads decoded by the codec server on :${opts.codecPort})`,
    `  Temporal        ${opts.server.address}`,
    `  emulators       Pendo http://127.0.0.1:${opts.pendoPort} · AEP http://127.0.0.1:${opts.aepPort}`,
    '',
    `To run the README's commands against this demo, paste into another shell (or: source ${relative(process.cwd(), envFile) || envFile}):`,
    ...exports.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

/** Live progress until every binding has caught up and been delivered (with --once), or until Ctrl-C. */
async function watch(
  capture: string,
  pipelineName: string,
  runtime: RuntimeConfig,
  once: boolean,
  header: string,
): Promise<CaptureStatus> {
  const deadline = Date.now() + 15 * 60_000;
  const tty = process.stdout.isTTY === true;
  let shown = '';
  if (header && !tty) console.log(`\n${header}`);
  for (;;) {
    const s = await queryStatus(capture, runtime).catch(() => undefined);
    const p = await queryPipeline(pipelineName, runtime).catch(() => undefined);
    const view = [
      p ? pipelineText(p).split('\n').slice(0, 4).join('\n') : 'pipeline: starting',
      s ? statusTable(s) : '',
    ].join('\n');
    if (view !== shown) {
      // On a terminal the screen is redrawn in place, so the addresses above never scroll away.
      if (tty) process.stdout.write(`\x1b[H\x1b[J${header}\n${view}\n`);
      else console.log(`\n${view}`);
    }
    shown = view;
    // Without --once the demo outlives what a user does to its workflows; the view shows it.
    if (once && p?.phase === 'failed')
      throw new Error(`the pipeline failed: ${p.lastError?.message ?? 'see the Temporal UI'}`);
    if (s) {
      const failed = s.bindings.filter((b) => b.state === 'failed');
      if (once && failed.length)
        throw new Error(`binding(s) failed: ${failed.map((b) => `${b.resource}: ${b.lastError?.message}`).join('; ')}`);
      const caughtUp = s.bindings.every(
        (b) => b.lastPollAt !== null && (b.backfill === null || b.backfill.percent >= 100),
      );
      if (once && caughtUp) return s;
    }
    if (once && Date.now() > deadline) throw new Error('the pipeline did not catch up within 15 minutes');
    await sleep(once ? 1000 : 5000);
  }
}

async function printSummary(
  spec: PipelineSpec,
  status: CaptureStatus,
  state: PipelineState,
  collections: LocalCollections,
  aepUrl: string,
): Promise<void> {
  const flowId = state.dataflow?.flowId ?? '';
  const records = (await createInspector(aepUrl).records(flowId)).map((r) => r.input as { eventType?: string });
  const byType = new Map<string, number>();
  for (const r of records) byType.set(r.eventType ?? '?', (byType.get(r.eventType ?? '?') ?? 0) + 1);
  console.log('\nSummary');
  console.log('RESOURCE        COLLECTION                    DOCUMENTS  TOMBSTONES  AEP RECORDS');
  for (const b of spec.capture.bindings) {
    let docs = 0;
    let tombstones = 0;
    for await (const line of collections.lines(b.target)) {
      docs++;
      if (line.includes('"_meta":{"op":"d"')) tombstones++;
    }
    const type = toMessage(b.resource, {}).eventType;
    const sent = (byType.get(type) ?? 0) + (byType.get(`${type}Deleted`) ?? 0);
    console.log(
      `${b.resource.padEnd(15)} ${b.target.padEnd(29)} ${String(docs).padStart(9)}  ${String(tombstones).padStart(10)}  ${String(sent).padStart(11)}`,
    );
  }
  console.log(`\nAEP flow ${flowId}: ${records.length} records received through ${state.dataflow?.inletUrl}`);
  const aep = spec.dataflow.aep;
  const clients = createAepClients({ ...aep, clientSecret: AEP_SECRET });
  for (const run of (await clients.flowService.listRuns(flowId)).slice(0, 5)) {
    const r = run.metrics.recordSummary ?? {};
    console.log(
      `  run ${run.id}: ${run.metrics.statusSummary?.status ?? '?'}, ${r.inputRecordCount ?? 0} in, ` +
        `${r.outputRecordCount ?? 0} out, ${r.failedRecordCount ?? 0} failed`,
    );
  }
  const total = status.bindings.reduce((n, b) => n + b.documents, 0);
  console.log(
    `\n${status.bindings.length} bindings caught up; ${total} documents captured; late data: ${spec.capture.settings.lateData.mode}.`,
  );
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
