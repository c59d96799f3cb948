/**
 * `npm run bench:capture`: PageEvents backfill throughput through Temporal against a raw loop, and peak RSS,
 * on local files and on a PostgreSQL store, also when one hour (and one response) holds a million rows; how much
 * faster the emulator serves than the client parses; and a 30-day backfill at the emulator's realistic latency with
 * 1, 2, 4 and 8 windows at once on one worker, then 8 on two. Prints figures; asserts nothing.
 */
import { HOUR } from '../src/workflows/capture/cursor';
import { runBench, type Cleanup } from './lib/cleanup';
import { stableHorizon, startForRows, volumeForHour } from './lib/emulator-data';
import { type Figures, type RangeRead, rawRead, temporalRead } from './lib/reads';
import { numberOptions } from './lib/options';
import { figuresTable, POSTGRES_RATIO_TARGET, ratioLine, RSS_TARGET_MB, rssLine } from './lib/report';
import { startPostgres } from '../scripts/lib/postgres-server';
import { BenchStack } from './lib/stack';
import { concurrencyTable, concurrentRun, type ConcurrentRun, warmUp } from './lib/concurrency';
import { serveVersusParse } from './lib/serve-parse';
import { REALISTIC_LATENCY } from '../emulators/pendo/latency';

const USAGE = 'usage: npm run bench:capture [-- options]';
const RUN_TIMEOUT_MS = 20 * 60_000;
/** Pendo's largest page. */
const PENDO_MAX_LIMIT = 50_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';

async function main(cleanup: Cleanup): Promise<void> {
  const opts = numberOptions(USAGE, {
    rows: { env: 'BENCH_ROWS', default: 1_000_000, help: 'PageEvents rows to backfill' },
    volume: { env: 'BENCH_VOLUME', default: 500, help: 'emulator volume (rows per hour multiplier) of that backfill' },
    'window-hours': { env: 'BENCH_WINDOW_HOURS', default: 6, help: 'hours per backfill window' },
    limit: { env: 'BENCH_LIMIT', default: PENDO_MAX_LIMIT, help: 'rows per request' },
    repeat: { env: 'BENCH_REPEAT', default: 2, help: 'raw and Temporal backfills of part 1, alternating' },
    'hour-rows': { env: 'BENCH_HOUR_ROWS', default: 1_000_000, help: 'rows of the single hour of part 2 (0 skips it)' },
    'backfill-days': {
      env: 'BENCH_BACKFILL_DAYS',
      default: 30,
      help: 'days of part 3, at realistic latency (0 skips it)',
    },
    'backfill-volume': { env: 'BENCH_BACKFILL_VOLUME', default: 1, help: 'emulator volume of part 3' },
    'backfill-window-hours': { env: 'BENCH_BACKFILL_WINDOW_HOURS', default: 24, help: 'hours per window in part 3' },
    'skip-parts': { env: 'BENCH_SKIP_PARTS', default: 0, help: '1 skips parts 1 and 2 (only part 3 runs)' },
  });
  const stack = await BenchStack.start(cleanup);
  console.log(`Temporal dev server on ${stack.address}; temporary files in ${stack.root}`);
  if (opts['skip-parts'] !== 1) {
    await backfill(stack, cleanup, opts);
    if (opts['hour-rows'] > 0) await oneHour(stack, cleanup, opts['hour-rows']);
  }
  if (opts['backfill-days'] > 0) await concurrentBackfill(stack, opts);
}

/**
 * Part 3: a long PageEvents backfill at Pendo's pace (the emulator's `realistic` latency), where time goes to
 * waiting on answers, with 1, 2, 4 and 8 windows at once on one worker, then 8 on two workers.
 */
async function concurrentBackfill(stack: BenchStack, opts: Record<string, number>) {
  const days = opts['backfill-days'] ?? 30;
  const volume = opts['backfill-volume'] ?? 1;
  const windowHours = opts['backfill-window-hours'] ?? 24;
  const { horizonMs, processingDelayMs } = stableHorizon();
  const fromMs = horizonMs - days * 24 * HOUR;
  const latency = ['--latency', REALISTIC_LATENCY, '--history-days', String(days + 2)];
  const emulator = await stack.startEmulator(volume, latency);
  console.log(
    `\n== 3. backfill of ${days} days of PageEvents [${iso(fromMs)}, ${iso(horizonMs)}) at the emulator's ` +
      `realistic latency (${REALISTIC_LATENCY}), emulator volume ${volume}, windows of ${windowHours} h, limit ${PENDO_MAX_LIMIT}`,
  );
  const plan = { emulator, fromMs, toMs: horizonMs, processingDelayMs, windowHours, limit: PENDO_MAX_LIMIT };
  await warmUp(plan);
  const runs: ConcurrentRun[] = [];
  for (const [windows, workers] of [
    [1, 1],
    [2, 1],
    [4, 1],
    [8, 1],
    [8, 2],
  ] as const) {
    runs.push(await concurrentRun(stack, { ...plan, timeoutMs: RUN_TIMEOUT_MS }, windows, workers));
  }
  await emulator.process.stop();
  console.log(concurrencyTable(runs));
  const four = runs[2];
  const one = runs[0];
  if (four && one) {
    const speedup = four.rows / four.seconds / (one.rows / one.seconds);
    console.log(`speedup at 4 windows: ${speedup.toFixed(2)}x (target >= 3.5x when latency-bound)`);
  }
  const peak = Math.max(...runs.flatMap((r) => r.peakRssMb));
  console.log(`peak RSS of any worker: ${peak.toFixed(0)} MB (target <= ${RSS_TARGET_MB} MB)`);
}

type BackfillOptions = Record<'rows' | 'volume' | 'window-hours' | 'limit' | 'repeat', number>;

/** Part 1: about `rows` PageEvents rows over many hours, alternately through the raw loop and through Temporal. */
async function backfill(stack: BenchStack, cleanup: Cleanup, opts: BackfillOptions) {
  const { rows, volume, 'window-hours': windowHours, limit, repeat } = opts;
  const { horizonMs, processingDelayMs } = stableHorizon();
  const plan = startForRows(volume, horizonMs, rows);
  const emulator = await stack.startEmulator(volume);
  const read = (label: string): RangeRead => ({
    label,
    emulatorUrl: emulator.url,
    fromMs: plan.startMs,
    toMs: horizonMs,
    processingDelayMs,
    windowHours,
    limit,
  });
  const hours = (horizonMs - plan.startMs) / HOUR;
  console.log(
    `\n== 1. backfill of ${plan.rows} PageEvents rows: ${hours} h [${iso(plan.startMs)}, ${iso(horizonMs)}), ` +
      `emulator volume ${volume}, windows of ${windowHours} h, limit ${limit}`,
  );
  // Warms the emulator's JIT on the hour after the range, so neither measured read pays for it.
  await rawRead(stack, { ...read('warm-up'), fromMs: horizonMs, toMs: horizonMs + HOUR }, cleanup);
  const sp = await serveVersusParse(emulator.url, horizonMs - 2 * HOUR, horizonMs, limit);
  console.log(
    `emulator serves ${sp.servedRowsPerS.toFixed(0)} rows/s from its window cache ` +
      `(${sp.coldRowsPerS.toFixed(0)} rows/s for a window's first page, which generates and sorts it; ` +
      `${(sp.bytes / 1e6).toFixed(1)} MB, ${sp.rows} rows, read without parsing); pendoflow's client parses ` +
      `${sp.parsedRowsPerS.toFixed(0)} rows/s of the same bytes: the emulator is ` +
      `${(sp.servedRowsPerS / sp.parsedRowsPerS).toFixed(1)}x faster from its cache, ` +
      `${(sp.coldRowsPerS / sp.parsedRowsPerS).toFixed(1)}x on a first page (target >= 5x)`,
  );
  // A durable server (fsync on), as in production; its own process, so its memory is not the worker's.
  const postgres = await startPostgres({ durable: true });
  cleanup.add('PostgreSQL server', () => postgres.stop());
  const raw: Figures[] = [];
  const temporal: Figures[] = [];
  const onPostgres: Figures[] = [];
  for (let i = 1; i <= Math.max(1, repeat); i++) {
    raw.push(await rawRead(stack, read(`raw #${i}`), cleanup));
    temporal.push(await temporalRead(stack, read(`temporal #${i}`), RUN_TIMEOUT_MS));
    const store = await postgres.createDatabase(`bench${i}`);
    onPostgres.push(await temporalRead(stack, read(`temporal on PostgreSQL #${i}`), RUN_TIMEOUT_MS, store));
  }
  await emulator.process.stop();
  report(raw.flatMap((r, i) => [r, temporal[i] as Figures, onPostgres[i] as Figures]));
  console.log(ratioLine('throughput', temporal, raw));
  console.log(ratioLine('PostgreSQL store throughput', onPostgres, raw, POSTGRES_RATIO_TARGET));
}

/** Part 2: one hour of ~`rows` rows, paged at Pendo's maximum, and then in one single response. */
async function oneHour(stack: BenchStack, cleanup: Cleanup, rows: number) {
  const { horizonMs, processingDelayMs } = stableHorizon();
  const hourMs = horizonMs - HOUR;
  const { volume, rows: planned } = volumeForHour(hourMs, rows);
  const emulator = await stack.startEmulator(volume);
  const single = Math.max(1_000_000, planned + 1);
  const read = (label: string, limit: number): RangeRead => ({
    label,
    emulatorUrl: emulator.url,
    fromMs: hourMs,
    toMs: horizonMs,
    processingDelayMs,
    windowHours: 1,
    limit,
  });
  console.log(
    `\n== 2. one hour holding ${planned} PageEvents rows [${iso(hourMs)}, ${iso(horizonMs)}), ` +
      `emulator volume ${volume.toFixed(1)}; pages of ${PENDO_MAX_LIMIT}, then one response (limit ${single})`,
  );
  const figures = [
    await rawRead(stack, read(`raw, limit ${PENDO_MAX_LIMIT}`, PENDO_MAX_LIMIT), cleanup),
    await temporalRead(stack, read(`temporal, limit ${PENDO_MAX_LIMIT}`, PENDO_MAX_LIMIT), RUN_TIMEOUT_MS),
    await rawRead(stack, read('raw, one response', single), cleanup),
    await temporalRead(stack, read('temporal, one response', single), RUN_TIMEOUT_MS),
  ];
  await emulator.process.stop();
  report(figures);
  console.log(ratioLine(`paged (limit ${PENDO_MAX_LIMIT})`, figures.slice(1, 2), figures.slice(0, 1)));
}

function report(figures: Figures[]): void {
  console.log(figuresTable(figures));
  console.log(rssLine(figures));
}

runBench('bench:capture', main);
