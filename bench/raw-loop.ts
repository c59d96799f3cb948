/**
 * The raw baseline of bench:capture: the worker's own client, window reader and sink, without Temporal.
 * Reads the PageEvents windows of RAW_LOOP_INPUT (JSON) one after another and prints a RawLoopResult line.
 */
import { Agent } from 'node:http';
import { captureEventWindow } from '../src/activities/capture/event-window';
import { connectPendo } from '../src/activities/capture/pendo-connection';
import { DEFAULT_TRUST } from '../src/config/trust';
import { LocalCollections } from '../src/sinks/collections';
import { windowsOf } from '../src/workflows/capture/cursor';
import type { RawLoopInput, RawLoopResult } from './lib/raw-run';
import { KEY_ENV } from './lib/emulator-data';

async function main(input: RawLoopInput): Promise<RawLoopResult> {
  // As in createActivities: one keep-alive agent for the process, one client per window.
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const endpoint = { accessToken: `env:${KEY_ENV}`, baseUrl: input.baseUrl };
  // The emulator's host, as the bench workers allow it.
  const trust = { ...DEFAULT_TRUST, allowedHosts: [new URL(input.baseUrl).hostname] };
  const limits = {
    incrementalLimit: input.limit,
    backfillLimit: input.limit,
    windowHours: input.windowHours,
    requestTimeoutMs: input.requestTimeoutMs,
  };
  const collections = new LocalCollections(input.dataDir);
  const windows = windowsOf({ fromMs: input.fromMs, toMs: input.toMs }, input.windowHours);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let rows = 0;
  let pages = 0;
  for (const w of windows) {
    const client = connectPendo(endpoint, trust, input.requestTimeoutMs, undefined, httpAgent);
    const target = { capture: 'raw', resource: 'PageEvents' as const, target: 'raw/PageEvents', endpoint, limits };
    const r = await captureEventWindow({ ...target, ...w, limit: input.limit }, client, collections, () => undefined);
    rows += r.rows;
    pages += r.pages;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  httpAgent.destroy();
  return {
    rows,
    pages,
    windows: windows.length,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

main(JSON.parse(process.env.RAW_LOOP_INPUT ?? '') as RawLoopInput).then(
  (result) => console.log(JSON.stringify(result)),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
