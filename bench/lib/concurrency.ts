import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureSpec } from '../../src/workflows/capture/types';
import { HOUR, windowsOf } from '../../src/workflows/capture/cursor';
import { REGISTRY } from '../../src/resources/registry';
import { eventWindowBody } from '../../src/pendo/requests';
import { BENCH_KEY } from './emulator-data';
import { benchSpec, startCapture, stopCapture, waitCaughtUp } from './captures';
import { countDocuments } from './disk';
import { cpuSecondsOf, RssSampler } from './proc-stats';
import type { BenchStack, Emulator, Worker } from './stack';

export interface ConcurrentRun {
  label: string;
  windows: number;
  workers: number;
  rows: number;
  onDisk: number;
  seconds: number;
  cpuSeconds: number;
  /** Peak RSS of each worker, sampled every 200 ms (and its VmHWM, if larger). */
  peakRssMb: number[];
}

export interface ConcurrentPlan {
  emulator: Emulator;
  fromMs: number;
  toMs: number;
  processingDelayMs: number;
  windowHours: number;
  limit: number;
  timeoutMs: number;
}

/** One backfill of the plan's range with `windows` at once, on `workers` worker processes sharing a task queue. */
export async function concurrentRun(
  stack: BenchStack,
  plan: ConcurrentPlan,
  windows: number,
  workers: number,
): Promise<ConcurrentRun> {
  const label = `${windows} window${windows > 1 ? 's' : ''}, ${workers} worker${workers > 1 ? 's' : ''}`;
  const first = await stack.startWorker(`conc-${windows}-${workers}`);
  const pool: Worker[] = [first];
  for (let i = 1; i < workers; i++) {
    pool.push(await stack.startWorker(`conc-${windows}-${workers}-${i}`, first));
  }
  const base = benchSpec(`conc-${windows}-${workers}-${Date.now()}`, plan.emulator.url, ['PageEvents']);
  const spec: CaptureSpec = {
    ...base,
    settings: {
      ...base.settings,
      startMs: plan.fromMs,
      intervalMs: HOUR,
      limits: {
        ...base.settings.limits,
        incrementalLimit: plan.limit,
        backfillLimit: plan.limit,
        windowHours: plan.windowHours,
        backfillConcurrency: windows,
        // The budget is not what this measures: it stays out of the way.
        concurrentRequests: Math.max(16, windows * 2),
        requestsPerSecond: 1000,
      },
      lateData: { ...base.settings.lateData, processingDelayMs: plan.processingDelayMs, rescanWindowMs: 0 },
    },
  };
  const samplers = pool.map((w) => new RssSampler(w.pid));
  const cpuBefore = pool.map((w) => cpuSecondsOf(w.pid) ?? 0);
  const started = performance.now();
  const handle = await startCapture(stack.client, first.taskQueue, spec);
  const status = await waitCaughtUp(handle, plan.toMs, plan.timeoutMs);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = pool.reduce((n, w, i) => n + ((cpuSecondsOf(w.pid) ?? NaN) - (cpuBefore[i] ?? 0)), 0);
  const peakRssMb = samplers.map((s) => {
    const { maxRssMb, peakMb } = s.stop();
    return Math.max(maxRssMb, peakMb);
  });
  await stopCapture(handle);
  for (const w of pool) await w.process.stop();
  const onDisk = await countDocuments(join(first.dataDir, 'collections'));
  await rm(first.dataDir, { recursive: true, force: true });
  return {
    label,
    windows,
    workers,
    rows: status.bindings[0]?.documents ?? 0,
    onDisk,
    seconds,
    cpuSeconds,
    peakRssMb,
  };
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '?');

/** The runs as a table, with rows/s and the speedup over the first run. */
export function concurrencyTable(runs: ConcurrentRun[]): string {
  const head = ['run', 'rows', 'on disk', 'seconds', 'rows/s', 'speedup', 'cpu s', 'peak RSS MB per worker'];
  const base = runs[0] ? runs[0].rows / runs[0].seconds : NaN;
  const body = runs.map((r) => [
    r.label,
    String(r.rows),
    String(r.onDisk),
    fixed(r.seconds, 1),
    fixed(r.rows / r.seconds),
    `${fixed(r.rows / r.seconds / base, 2)}x`,
    fixed(r.cpuSeconds, 1),
    r.peakRssMb.map((m) => fixed(m)).join(', '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

/**
 * Reads every window of the range once, all at once, so the emulator's generated data and window cache are as warm
 * for the first measured run as for the later ones.
 */
export async function warmUp(plan: Omit<ConcurrentPlan, 'timeoutMs'>): Promise<void> {
  const def = REGISTRY.PageEvents;
  const windows = windowsOf({ fromMs: plan.fromMs, toMs: plan.toMs }, plan.windowHours);
  await Promise.all(
    windows.map(async (w) => {
      const res = await fetch(`${plan.emulator.url}/api/v1/aggregation`, {
        method: 'POST',
        headers: { 'x-pendo-integration-key': BENCH_KEY, 'content-type': 'application/json' },
        body: JSON.stringify(eventWindowBody(def, { ...w, limit: plan.limit })),
      });
      await res.arrayBuffer();
    }),
  );
}
