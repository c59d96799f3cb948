import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CaptureSpec } from '../../src/workflows/capture/types';
import { postgresStore } from '../../src/store/postgres/store';
import { bindingWorkflowId } from '../../src/workflows/capture/ids';
import { HOUR } from '../../src/workflows/capture/cursor';
import { benchSpec, startCapture, stopCapture, waitCaughtUp } from './captures';
import type { Cleanup } from './cleanup';
import { countDocuments } from './disk';
import { stepTimes } from './history';
import { KEY_ENV, BENCH_KEY } from './emulator-data';
import { cpuSecondsOf, RssSampler } from './proc-stats';
import { runRawLoop } from './raw-run';
import type { BenchStack } from './stack';

/** One measured read of a PageEvents range. */
export interface Figures {
  label: string;
  rows: number;
  /** Documents found on disk afterwards. */
  onDisk: number;
  seconds: number;
  cpuSeconds: number;
  /** Largest RSS sampled every 200 ms during the read. */
  peakRssMb: number;
  /** The kernel's lifetime peak (VmHWM or ru_maxrss), start-up included. */
  hwmMb: number;
  requests: string;
  /** Where a Temporal read's wall time went. */
  breakdown?: string;
  /** Temporal reads: the worker's CPU from exec to polling (loading the bundle), outside `cpuSeconds`. */
  startupCpuS?: number;
  /** Temporal reads: CPU seconds per second of the idle worker (polls, timers), measured before the read. */
  idleCpuPerS?: number;
}

export interface RangeRead {
  label: string;
  emulatorUrl: string;
  fromMs: number;
  toMs: number;
  /** Makes `toMs` the capture horizon for the whole run (see stableHorizon). */
  processingDelayMs: number;
  windowHours: number;
  limit: number;
}

const REQUEST_TIMEOUT_MS = 300_000;
const IDLE_SAMPLE_MS = 5000;

/**
 * Backfills the range through Temporal on a fresh worker process; wall time is start to caught up. With `store`
 * (a postgres:// URL) the worker writes to that PostgreSQL store instead of local files.
 */
export async function temporalRead(
  stack: BenchStack,
  read: RangeRead,
  timeoutMs: number,
  store?: string,
): Promise<Figures> {
  const env: Record<string, string> = store ? { PENDOFLOW_STORE: store } : {};
  const worker = await stack.startWorker(read.label.replace(/\W+/g, '-'), undefined, env);
  const startupCpuS = cpuSecondsOf(worker.pid) ?? NaN;
  await sleep(IDLE_SAMPLE_MS);
  const idleCpuPerS = ((cpuSecondsOf(worker.pid) ?? NaN) - startupCpuS) / (IDLE_SAMPLE_MS / 1000);
  const base = benchSpec(`bench-${Date.now()}`, read.emulatorUrl, ['PageEvents']);
  // The raw loop reads one window at a time with no request budget; so does this read, to compare pendoflow's costs.
  const limits = {
    incrementalLimit: read.limit,
    backfillLimit: read.limit,
    windowHours: read.windowHours,
    backfillConcurrency: 1,
    requestsPerSecond: 1000,
  };
  const spec: CaptureSpec = {
    ...base,
    settings: {
      ...base.settings,
      startMs: read.fromMs,
      intervalMs: HOUR,
      limits: { ...base.settings.limits, ...limits, requestTimeoutMs: REQUEST_TIMEOUT_MS },
      lateData: { ...base.settings.lateData, processingDelayMs: read.processingDelayMs, rescanWindowMs: 0 },
    },
  };
  const sampler = new RssSampler(worker.pid);
  const cpuBefore = cpuSecondsOf(worker.pid) ?? 0;
  const started = performance.now();
  const handle = await startCapture(stack.client, worker.taskQueue, spec);
  const status = await waitCaughtUp(handle, read.toMs, timeoutMs);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (cpuSecondsOf(worker.pid) ?? NaN) - cpuBefore;
  const { maxRssMb, peakMb } = sampler.stop();
  await stopCapture(handle);
  await worker.process.stop();
  const steps = await stepTimes(stack.client.workflow.getHandle(bindingWorkflowId(spec.name, 'PageEvents')));
  const rest = seconds - steps.inActivitiesS - steps.queuedS - steps.betweenS;
  const binding = status.bindings[0];
  const figures: Figures = {
    label: read.label,
    rows: binding?.documents ?? 0,
    onDisk: store
      ? await countStored(store, `${spec.name}/PageEvents`)
      : await countDocuments(join(worker.dataDir, 'collections')),
    seconds,
    cpuSeconds,
    peakRssMb: maxRssMb,
    hwmMb: peakMb,
    requests: `${binding?.backfill?.windowsDone ?? '?'} windows`,
    breakdown:
      `${steps.inActivitiesS.toFixed(1)} s in ${steps.activities} activities, ${steps.queuedS.toFixed(2)} s queued, ` +
      `${steps.betweenS.toFixed(2)} s between them, ${rest.toFixed(2)} s to start and to notice the end; ` +
      `CPU: ${startupCpuS.toFixed(1)} s to start the worker (not counted), idle ${(idleCpuPerS * 100).toFixed(1)} % of a core ` +
      `(${(idleCpuPerS * seconds).toFixed(2)} s of the read's ${cpuSeconds.toFixed(1)} s)`,
    startupCpuS,
    idleCpuPerS,
  };
  await rm(worker.dataDir, { recursive: true, force: true });
  return figures;
}

/** Documents of a collection in a PostgreSQL store. */
async function countStored(url: string, target: string): Promise<number> {
  const store = await postgresStore(url);
  try {
    let n = 0;
    for (const partition of await store.collections.partitions(target))
      n += await store.collections.countPartition(target, partition);
    return n;
  } finally {
    await store.close();
  }
}

/** Reads the same range with bench/raw-loop.ts: the same client, window reader and sink, no Temporal. */
export async function rawRead(stack: BenchStack, read: RangeRead, cleanup: Cleanup): Promise<Figures> {
  const dataDir = join(stack.root, read.label.replace(/\W+/g, '-'));
  const r = await runRawLoop(
    {
      baseUrl: read.emulatorUrl,
      dataDir,
      fromMs: read.fromMs,
      toMs: read.toMs,
      windowHours: read.windowHours,
      limit: read.limit,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    },
    { [KEY_ENV]: BENCH_KEY },
    cleanup,
  );
  const figures: Figures = {
    label: read.label,
    rows: r.rows,
    onDisk: await countDocuments(dataDir),
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    peakRssMb: r.sampledRssMb,
    hwmMb: r.maxRssMb,
    requests: `${r.windows} windows, ${r.pages} requests`,
  };
  await rm(dataDir, { recursive: true, force: true });
  return figures;
}
