/**
 * `npm run bench:emulator-paging`: how long the Pendo emulator takes to serve one large PageEvents hour in pages,
 * with its window cache off (every page rescans and sorts the hour) and on. Prints figures; asserts nothing.
 */
import { DEFAULT_WINDOW_CACHE_ROWS } from '../emulators/pendo/aggregation/window-cache';
import { startPendoEmulator } from '../emulators/pendo/index';
import { REGISTRY } from '../src/resources';
import { keyValues } from '../src/resources/keys';
import { eventWindowBody } from '../src/pendo/requests';
import { HOUR } from '../src/workflows/capture/cursor';
import { SEED, TIMEZONE, stableHorizon, volumeForHour } from './lib/emulator-data';
import { numberOptions } from './lib/options';

const USAGE = 'usage: npm run bench:emulator-paging [-- options]';
const def = REGISTRY.PageEvents;

async function readHour(url: string, key: string, hourMs: number, limit: number) {
  const seconds: number[] = [];
  let rows = 0;
  for (let after: unknown[] | undefined; ;) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/v1/aggregation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pendo-integration-key': key },
      body: JSON.stringify(eventWindowBody(def, { fromMs: hourMs, toMs: hourMs + HOUR, limit, after })),
    });
    if (!res.ok) throw new Error(`aggregation answered ${res.status}: ${await res.text()}`);
    const page = ((await res.json()) as { results: Record<string, unknown>[] }).results;
    seconds.push((performance.now() - t0) / 1000);
    rows += page.length;
    if (page.length < limit) return { rows, seconds };
    after = keyValues(def, page[page.length - 1] as Record<string, unknown>);
  }
}

async function main(): Promise<void> {
  const opts = numberOptions(USAGE, {
    'hour-rows': { env: 'BENCH_HOUR_ROWS', default: 200_000, help: 'PageEvents rows of the hour' },
    limit: { env: 'BENCH_LIMIT', default: 10_000, help: 'rows per request' },
    'cache-rows': { env: 'BENCH_CACHE_ROWS', default: DEFAULT_WINDOW_CACHE_ROWS, help: 'window cache bound' },
    before: { env: 'BENCH_BEFORE', default: 1, help: '1: also measure with the cache off' },
  });
  const { horizonMs, processingDelayMs } = stableHorizon();
  const hourMs = horizonMs - HOUR;
  const { volume, rows: planned } = volumeForHour(hourMs, opts['hour-rows']);
  console.log(`one PageEvents hour of ${planned} rows, pages of ${opts.limit}`);
  const runs: [string, number][] = [];
  if (opts.before === 1) runs.push(['cache off', 0]);
  runs.push(['cache on', opts['cache-rows']]);
  for (const [label, windowCacheRows] of runs) {
    const emulator = await startPendoEmulator({
      seed: SEED,
      timezone: TIMEZONE,
      volume,
      lateFraction: 0,
      processingDelayMs: [processingDelayMs, processingDelayMs],
      windowCacheRows,
    });
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const { rows, seconds } = await readHour(emulator.url, emulator.key, hourMs, opts.limit);
    const total = (performance.now() - t0) / 1000;
    const rss = process.memoryUsage().rss;
    await emulator.close();
    const [first = 0, ...rest] = seconds;
    const restMean = rest.length ? rest.reduce((a, b) => a + b, 0) / rest.length : 0;
    console.log(
      `${label.padEnd(9)} ${rows} rows in ${seconds.length} pages, ${total.toFixed(1)} s, ` +
        `${Math.round(rows / total)} rows/s; first page ${first.toFixed(2)} s, later pages ${restMean.toFixed(3)} s each; ` +
        `RSS ${Math.round(rss0 / 2 ** 20)} → ${Math.round(rss / 2 ** 20)} MB (this process, client included)`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
