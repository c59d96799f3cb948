import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflows } from '../../src/workflow-bundle';
import { type Managed, startPendoflow } from '../../scripts/demo/processes';
import { freePort, startDevServer } from '../../scripts/lib/temporal-dev-server';
import type { Cleanup } from './cleanup';
import { BENCH_KEY, KEY_ENV, SEED, TIMEZONE } from './emulator-data';

export interface Emulator {
  url: string;
  process: Managed;
  pid: number;
}

export interface Worker {
  taskQueue: string;
  dataDir: string;
  process: Managed;
  pid: number;
}

/** A dev server, a prebuilt workflow bundle and a client, in a private temporary folder; all undone by cleanup. */
export class BenchStack {
  private constructor(
    readonly root: string,
    readonly address: string,
    readonly client: Client,
    /** The dev server's process. */
    readonly serverPid: number,
    private readonly bundlePath: string,
    private readonly cleanup: Cleanup,
  ) {}

  static async start(cleanup: Cleanup): Promise<BenchStack> {
    const root = await mkdtemp(join(tmpdir(), 'pendoflow-bench-'));
    cleanup.add('temporary folder', () => rm(root, { recursive: true, force: true }));
    const [server, bundle] = await Promise.all([startDevServer(), bundleWorkflows({ quiet: true })]);
    cleanup.add('dev server', () => server.stop());
    const bundlePath = join(root, 'workflow-bundle.js');
    await writeFile(bundlePath, bundle.code);
    const connection = await Connection.connect({ address: server.address });
    cleanup.add('client connection', () => connection.close());
    return new BenchStack(
      root,
      server.address,
      new Client({ connection }),
      server.process.pid as number,
      bundlePath,
      cleanup,
    );
  }

  /** A Pendo emulator in its own process, without late data. */
  async startEmulator(volume: number, extra: string[] = []): Promise<Emulator> {
    const port = await freePort();
    const args = ['emulator', 'pendo', '--port', String(port), '--volume', String(volume), '--late-fraction', '0'];
    args.push(...extra);
    args.push('--key', BENCH_KEY, '--seed', String(SEED), '--timezone', TIMEZONE);
    const process = await startPendoflow('pendo emulator', args, /listening on/);
    this.cleanup.add('pendo emulator', () => process.stop());
    return { url: `http://127.0.0.1:${port}`, process, pid: process.child.pid as number };
  }

  /** A `pendoflow worker` process with its own task queue and data folder. */
  async startWorker(
    name: string,
    shared?: { taskQueue: string; dataDir: string },
    env: Record<string, string> = {},
    nodeArgs: string[] = [],
  ): Promise<Worker> {
    const dataDir = shared?.dataDir ?? join(this.root, name);
    await mkdir(dataDir, { recursive: true });
    const taskQueue = shared?.taskQueue ?? `bench-${name}-${Date.now()}`;
    const process = await startPendoflow(
      'worker',
      ['worker'],
      /worker polling/,
      {
        TEMPORAL_ADDRESS: this.address,
        PENDOFLOW_TASK_QUEUE: taskQueue,
        PENDOFLOW_DATA_DIR: dataDir,
        PENDOFLOW_WORKFLOW_BUNDLE: this.bundlePath,
        PENDOFLOW_ALLOWED_HOSTS: '127.0.0.1',
        [KEY_ENV]: BENCH_KEY,
        ...env,
      },
      nodeArgs,
    );
    this.cleanup.add(`worker ${name}`, () => process.stop());
    return { taskQueue, dataDir, process, pid: process.child.pid as number };
  }
}
