/**
 * `npm run bench:scale`: many captures of the nine first resources (or all fifteen) on one worker. Prints how long every binding
 * took to catch up, then the worker's CPU % and RSS over a period of steady-state polling. Asserts nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { CaptureSpec, CaptureStatus } from '../src/workflows/capture/types';
import { captureStatusQuery } from '../src/workflows/capture/messages';
import { RESOURCE_NAMES } from '../src/resources';
import { bindingWorkflowId, captureWorkflowId } from '../src/workflows/capture/ids';
import { captureHorizon, floorHour, HOUR } from '../src/workflows/capture/cursor';
import { type CaptureHandle, benchSpec, bindingCaughtUp, startCapture } from './lib/captures';
import { runBench, type Cleanup } from './lib/cleanup';
import { countHistory, type HistoryCount, pendingRetries } from './lib/history';
import { numberOptions } from './lib/options';
import { cpuSecondsOf, memoryOf } from './lib/proc-stats';
import { BenchStack } from './lib/stack';

const USAGE = 'usage: npm run bench:scale [-- options]';
const POLL_MS = 2000;
/** Captures whose histories are read for the event and action counts. */
const HISTORY_SAMPLE = 5;

async function main(cleanup: Cleanup): Promise<void> {
  const opts = numberOptions(USAGE, {
    captures: { env: 'BENCH_CAPTURES', default: 100, help: 'captures, each binding the resources below' },
    bindings: { env: 'BENCH_BINDINGS', default: 9, help: 'resources each capture binds, in registry order (15: all)' },
    'interval-s': { env: 'BENCH_INTERVAL_S', default: 30, help: 'poll interval of every capture' },
    'start-hours': { env: 'BENCH_START_HOURS', default: 2, help: 'hours of history each capture backfills' },
    // A snapshot watch hands back after 10 polls: at 30 s, a period under 5 minutes would miss its workflow tasks.
    'measure-s': { env: 'BENCH_MEASURE_S', default: 300, help: 'steady-state period measured after catch-up' },
    'catch-up-timeout-s': { env: 'BENCH_CATCH_UP_TIMEOUT_S', default: 900, help: 'give up catching up after this' },
    'max-cached-workflows': {
      env: 'BENCH_MAX_CACHED_WORKFLOWS',
      default: 0,
      help: "worker cache (0: the worker's default, 400)",
    },
    'malloc-arenas': {
      env: 'BENCH_MALLOC_ARENAS',
      default: 2,
      help: "the worker's MALLOC_ARENA_MAX, as the Docker image sets it (0: glibc's default, one per thread)",
    },
    'workflow-tasks': { env: 'BENCH_WORKFLOW_TASKS', default: 0, help: 'workflow task slots (0: its default)' },
  });
  const stack = await BenchStack.start(cleanup);
  const emulator = await stack.startEmulator(1);
  const sizing: Record<string, string> = {};
  if (opts['max-cached-workflows'] > 0) sizing.PENDOFLOW_MAX_CACHED_WORKFLOWS = String(opts['max-cached-workflows']);
  if (opts['workflow-tasks'] > 0) sizing.PENDOFLOW_MAX_CONCURRENT_WORKFLOW_TASKS = String(opts['workflow-tasks']);
  if (opts['malloc-arenas'] > 0) sizing.MALLOC_ARENA_MAX = String(opts['malloc-arenas']);
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const worker = await stack.startWorker('scale', undefined, sizing, nodeArgs);
  console.log(`worker sizing: ${JSON.stringify(sizing) === '{}' ? 'defaults' : JSON.stringify(sizing)}`);
  const resources = RESOURCE_NAMES.slice(0, Math.max(1, opts.bindings));
  const startMs = floorHour(Date.now()) - opts['start-hours'] * HOUR;
  console.log(
    `${opts.captures} captures x ${resources.length} bindings (${resources.join(', ')}) on one worker (pid ${worker.pid}), ` +
      `emulator volume 1, ${opts['start-hours']} h of history, polling every ${opts['interval-s']} s`,
  );

  const specs = Array.from({ length: opts.captures }, (_, i) => {
    const spec = benchSpec(`scale-${i}`, emulator.url, resources);
    return { ...spec, settings: { ...spec.settings, startMs, intervalMs: opts['interval-s'] * 1000 } };
  });
  const started = performance.now();
  const handles: CaptureHandle[] = [];
  for (const spec of specs) handles.push(await startCapture(stack.client, worker.taskQueue, spec));
  const startedAllS = (performance.now() - started) / 1000;
  const horizonMs = captureHorizon(Date.now(), (specs[0] as CaptureSpec).settings.lateData);
  await waitAllCaughtUp(handles, horizonMs, opts['catch-up-timeout-s'] * 1000);
  const caughtUpS = (performance.now() - started) / 1000;
  console.log(
    `started ${handles.length} captures in ${startedAllS.toFixed(1)} s; ` +
      `all ${handles.length * resources.length} bindings caught up after ${caughtUpS.toFixed(1)} s`,
  );

  const pids = { worker: worker.pid, 'temporal dev server': stack.serverPid, 'pendo emulator': emulator.pid };
  const sample = specs.slice(0, HISTORY_SAMPLE);
  const retriesBefore = await sampleRetries(stack.client, sample);
  const requestsBefore = await emulatorRequests(emulator.url);
  const cpuBefore = Object.values(pids).map((pid) => cpuSecondsOf(pid) ?? NaN);
  const rss: number[] = [];
  const measured = performance.now();
  while (performance.now() - measured < opts['measure-s'] * 1000) {
    rss.push(memoryOf(worker.pid)?.rssMb ?? NaN);
    await sleep(200);
  }
  const seconds = (performance.now() - measured) / 1000;
  const cpu = Object.values(pids).map((pid, i) => ((cpuSecondsOf(pid) ?? NaN) - (cpuBefore[i] ?? NaN)) / seconds);
  const requestsAfter = await emulatorRequests(emulator.url);
  const requests = requestsAfter.all - requestsBefore.all;
  const aggregations = requestsAfter.aggregations - requestsBefore.aggregations;

  console.log(`\nsteady state over ${seconds.toFixed(0)} s:`);
  const avg = rss.reduce((a, b) => a + b, 0) / rss.length;
  console.log(
    `  worker RSS: start ${rss[0]?.toFixed(0)} MB, end ${rss.at(-1)?.toFixed(0)} MB, ` +
      `mean ${avg.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB; VmHWM ${memoryOf(worker.pid)?.peakMb.toFixed(0)} MB`,
  );
  Object.keys(pids).forEach((name, i) =>
    console.log(`  ${name} CPU: ${((cpu[i] ?? NaN) * 100).toFixed(1)} % of one core`),
  );
  // Event bindings read each new hour once it is readable, all at about the same minute: a period that holds that
  // minute shows it as aggregations (about one per event binding), and costs more than one that does not.
  console.log(
    `  Pendo requests: ${requests} (${(requests / seconds).toFixed(1)}/s), of which ${aggregations} aggregations ` +
      '(event windows: the hourly read of each new hour, and rescans)',
  );
  const measuredEndMs = Date.now();
  const pendingNow = (await sampleRetries(stack.client, sample)) - retriesBefore;
  await printHistoryCosts(stack.client, sample, measuredEndMs - seconds * 1000, measuredEndMs, pendingNow);
  const unhealthy = (await statuses(handles)).flatMap((s) => s.bindings).filter((b) => b.lastError !== null);
  console.log(`  bindings with an error at the end: ${unhealthy.length}`);
  for (const b of unhealthy.slice(0, 5))
    console.log(`    ${b.capture}/${b.resource}: ${b.lastError?.type}: ${b.lastError?.message}`);
}

/**
 * History growth and Temporal actions in steady state, from the histories of a sample of captures and their bindings.
 * Temporal Cloud bills by actions, so actions per binding-day is what a day of capture costs.
 */
async function printHistoryCosts(
  client: Client,
  sample: CaptureSpec[],
  fromMs: number,
  toMs: number,
  pendingRetryGain: number,
): Promise<void> {
  const hours = (toMs - fromMs) / HOUR;
  const parents: HistoryCount[] = [];
  const bindings: HistoryCount[] = [];
  for (const spec of sample) {
    parents.push(await countHistory(client, captureWorkflowId(spec.name), fromMs, toMs));
    for (const b of spec.bindings)
      bindings.push(await countHistory(client, bindingWorkflowId(spec.name, b.resource), fromMs, toMs));
  }
  const mean = (xs: HistoryCount[], f: (c: HistoryCount) => number) => xs.reduce((n, c) => n + f(c), 0) / xs.length;
  const perBindingDay =
    (mean(bindings, (c) => c.actions + c.retries) +
      pendingRetryGain / Math.max(1, bindings.length) +
      mean(parents, (c) => c.actions) / (sample[0]?.bindings.length ?? 1)) *
    (24 / hours);
  console.log(`  history, from ${sample.length} captures and their ${bindings.length} bindings:`);
  console.log(
    `    events per capture-hour: capture workflow ${(mean(parents, (c) => c.events) / hours).toFixed(0)}, ` +
      `each binding ${(mean(bindings, (c) => c.events) / hours).toFixed(0)}`,
  );
  console.log(
    `    history events per binding-day: ${((mean(bindings, (c) => c.events) + mean(parents, (c) => c.events) / (sample[0]?.bindings.length ?? 1)) * (24 / hours)).toFixed(0)} ` +
      `(the capture workflow's share included)`,
  );
  console.log(
    `    Temporal actions per binding-day: ${perBindingDay.toFixed(0)} ` +
      `(history events billed as actions and activity retries, a snapshot watch's polls among them, the capture workflow's share included; queries and heartbeats not counted)`,
  );
}

/** Retries so far of the activities pending in the sampled bindings (a snapshot watch's polls). */
async function sampleRetries(client: Client, sample: CaptureSpec[]): Promise<number> {
  let n = 0;
  for (const spec of sample)
    for (const b of spec.bindings) n += await pendingRetries(client, bindingWorkflowId(spec.name, b.resource));
  return n;
}

function statuses(handles: CaptureHandle[]): Promise<CaptureStatus[]> {
  return Promise.all(handles.map((h) => h.query(captureStatusQuery)));
}

/** Polls every capture's status until all its bindings have caught up; a failed binding ends the run. */
async function waitAllCaughtUp(handles: CaptureHandle[], horizonMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = handles;
  let shown = '';
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} captures did not catch up in ${timeoutMs / 1000} s`);
    await sleep(POLL_MS);
    const now = await statuses(pending).catch(() => undefined);
    if (!now) continue;
    pending = pending.filter((_, i) => !now[i]?.bindings.every((b) => bindingCaughtUp(b, horizonMs)));
    const line = `  ${handles.length - pending.length}/${handles.length} captures caught up`;
    if (line !== shown) console.log(line);
    shown = line;
  }
}

/** The requests the emulator has answered so far: all, and the aggregations (event windows) among them. */
async function emulatorRequests(url: string): Promise<{ all: number; aggregations: number }> {
  const stats = (await (await fetch(`${url}/_emulator/stats`)).json()) as Record<string, Record<string, number>>;
  const count = (route: string) => Object.values(stats[route] ?? {}).reduce((a, b) => a + b, 0);
  const routes = Object.keys(stats);
  return {
    all: routes.reduce((n, r) => n + count(r), 0),
    aggregations: routes.filter((r) => r.endsWith('/aggregation')).reduce((n, r) => n + count(r), 0),
  };
}

runBench('bench:scale', main);
