/**
 * `npm run bench:footprint`: what one cached workflow costs a worker. Starts N workflows that only wait, in three
 * bundles: the workflow alone (the SDK's own cost), beside every pendoflow workflow with nothing shared, and beside
 * them as pendoflow bundles them (src/workflow-bundle.ts shares the modules that hold no state). Each bundle runs in a
 * worker process of its own; prints RSS per cached workflow and CPU per workflow start. Asserts nothing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startDevServer } from '../scripts/lib/temporal-dev-server';
import { workflowBundleOptions } from '../src/workflow-bundle';
import { runBench, type Cleanup } from './lib/cleanup';
import { numberOptions } from './lib/options';

const USAGE = 'usage: npm run bench:footprint [-- options]';
const VARIANTS = {
  'idle workflow alone': { entry: './footprint/idle', shared: false },
  'beside pendoflow, nothing shared': { entry: './footprint/with-pendoflow', shared: false },
  'beside pendoflow, as bundled': { entry: './footprint/with-pendoflow', shared: true },
} as const;
type Variant = keyof typeof VARIANTS;

interface Figures {
  variant: Variant;
  cached: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  cpuMsPerStart: number;
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** In a worker process of its own: starts the workflows, waits until all are cached, then samples RSS. */
async function measure(address: string, variant: Variant, count: number): Promise<Figures> {
  const { entry, shared } = VARIANTS[variant];
  const taskQueue = `footprint-${Object.keys(VARIANTS).indexOf(variant)}`;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve(entry),
    ...(shared ? { bundlerOptions: { preloadModules: workflowBundleOptions().preloadModules } } : {}),
    maxCachedWorkflows: count + 10,
  });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const running = worker.run();
  const id = (i: number) => `${taskQueue}-${i}`;
  await client.workflow.start('idle', { taskQueue, workflowId: id(-1) });
  while (worker.getStatus().numCachedWorkflows < 1) await sleep(100);
  await sleep(2000);
  const rssBeforeMb = rssMb();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) => i + j);
    await Promise.all(batch.map((n) => client.workflow.start('idle', { taskQueue, workflowId: id(n) })));
  }
  while (worker.getStatus().numCachedWorkflows < count + 1) await sleep(200);
  const used = process.cpuUsage(cpu);
  await sleep(3000);
  const samples: number[] = [];
  for (let k = 0; k < 10; k++, await sleep(500)) samples.push(rssMb());
  const figures: Figures = {
    variant,
    cached: count,
    rssBeforeMb,
    rssAfterMb: samples.reduce((a, b) => a + b, 0) / samples.length,
    cpuMsPerStart: (used.user + used.system) / 1000 / count,
  };
  await Promise.all(
    [-1, ...Array.from({ length: count }, (_, i) => i)].map((n) => client.workflow.getHandle(id(n)).terminate()),
  );
  worker.shutdown();
  await running;
  return figures;
}

async function main(cleanup: Cleanup): Promise<void> {
  const opts = numberOptions(USAGE, {
    workflows: { env: 'BENCH_WORKFLOWS', default: 1000, help: 'workflows each worker keeps cached' },
  });
  const server = await startDevServer();
  cleanup.add('dev server', () => server.stop());
  console.log(`${opts.workflows} waiting workflows cached by one worker, each bundle in its own worker process:`);
  const results: Figures[] = [];
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [require.resolve('../bin/run-ts.js'), __filename, '--child', server.address, variant, String(opts.workflows)],
      { maxBuffer: 1024 * 1024 },
    );
    const figures = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Figures;
    results.push(figures);
    const perKb = ((figures.rssAfterMb - figures.rssBeforeMb) * 1024) / figures.cached;
    console.log(
      `  ${variant.padEnd(34)} RSS ${figures.rssBeforeMb.toFixed(0)} -> ${figures.rssAfterMb.toFixed(0)} MB, ` +
        `${perKb.toFixed(0)} KB per cached workflow; ${figures.cpuMsPerStart.toFixed(2)} ms CPU per start`,
    );
  }
  const per = (f: Figures | undefined) => (f ? (f.rssAfterMb - f.rssBeforeMb) / f.cached : NaN);
  const [alone, unshared, bundled] = results;
  console.log(
    `  pendoflow's modules add ${((per(unshared) - per(alone)) * 1024).toFixed(0)} KB per workflow unshared, ` +
      `${((per(bundled) - per(alone)) * 1024).toFixed(0)} KB as bundled`,
  );
}

if (process.argv[2] === '--child') {
  const [, , , address, variant, count] = process.argv;
  measure(address as string, variant as Variant, Number(count)).then(
    (figures) => {
      console.log(JSON.stringify(figures));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  runBench('bench:footprint', main);
}
