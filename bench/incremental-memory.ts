/**
 * `npm run bench:incremental`: captures a million visitors (the emulator's `--extra-visitors`) through the
 * incremental Visitor reader, in this process, and prints rows, pages, time, and this process's peak RSS and heap.
 * The emulator runs as its own process, so its memory is not counted. Asserts nothing.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIncremental } from '../src/activities/capture/incremental';
import { PendoClient } from '../src/pendo/client';
import type { IncrementalSource } from '../src/pendo/incremental';
import { LocalCollections } from '../src/store/collections';
import { startPendoflow } from '../scripts/demo/processes';
import { freePort } from '../scripts/lib/temporal-dev-server';
import { runBench, type Cleanup } from './lib/cleanup';
import { numberOptions } from './lib/options';

const USAGE = 'usage: npm run bench:incremental [-- options]';
const KEY = '00000000-0000-4000-8000-000000000001.us';
const MB = 1024 * 1024;
const VISITOR: IncrementalSource = {
  name: 'Visitor',
  source: 'visitors',
  cursorField: 'metadata.auto.lastupdated',
  idField: 'visitorId',
};

async function sizeMb(dir: string): Promise<number> {
  let bytes = 0;
  for (const name of await readdir(dir, { recursive: true })) bytes += (await stat(join(dir, name))).size;
  return bytes / MB;
}

async function main(cleanup: Cleanup): Promise<void> {
  const opts = numberOptions(USAGE, {
    visitors: { env: 'BENCH_VISITORS', default: 1_000_000, help: 'visitors the emulator serves beyond its 200' },
    limit: { env: 'BENCH_LIMIT', default: 50_000, help: 'rows per page (the backfill limit)' },
  });
  const port = await freePort();
  const emulator = await startPendoflow(
    'pendo emulator',
    ['emulator', 'pendo', '--port', String(port), '--key', KEY, '--extra-visitors', String(opts.visitors)],
    /listening on/,
  );
  cleanup.add('pendo emulator', () => emulator.stop());
  const dir = await mkdtemp(join(tmpdir(), 'pendoflow-bench-incremental-'));
  cleanup.add('data folder', () => rm(dir, { recursive: true, force: true }));
  const collections = new LocalCollections(dir);
  const client = new PendoClient({ baseUrl: `http://127.0.0.1:${port}`, integrationKey: KEY, timeoutMs: 300_000 });

  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 100);
  const started = performance.now();
  const input = { target: 'Visitor', startMs: 0, backfillLimit: opts.limit, incrementalLimit: opts.limit };
  const result = await captureIncremental(VISITOR, input, client, collections, undefined, ({ pages, rows }) => {
    sample();
    console.log(`  page ${pages}: ${rows} rows so far, RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
  });
  clearInterval(timer);
  sample();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n${result.rows} visitors in ${result.pages} pages of at most ${opts.limit}, ${seconds.toFixed(1)} s ` +
      `(${(result.rows / seconds).toFixed(0)} rows/s); collection ${(await sizeMb(dir)).toFixed(0)} MB on disk`,
  );
  console.log(
    `this process: RSS ${(base.rss / MB).toFixed(0)} MB before, peak ${(peakRss / MB).toFixed(0)} MB; ` +
      `heap used ${(base.heapUsed / MB).toFixed(0)} MB before, peak ${(peakHeap / MB).toFixed(0)} MB`,
  );
}

runBench('bench:incremental', main);
