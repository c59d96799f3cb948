/** `pendoflow emulator pendo [options]`: runs the Pendo API emulator in the foreground. */
import { parseArgs } from 'node:util';
import { parseFaultSpec } from './faults';
import { parseLatencySpec } from './latency';
import { REGIONS, startPendoEmulator, type PendoEmulatorOptions } from './index';

const HELP = `usage: pendoflow emulator pendo [options]

Runs a local emulator of the Pendo API (seeded, deterministic data) until SIGINT or SIGTERM.

options:
  --port P            port (default 0 = any free port)
  --host H            address to bind (default 127.0.0.1)
  --seed N            data seed (default 1)
  --key K             the integration key to accept; its suffix (.us .us1 .eu .jpn .au) names its region
  --faults SPEC       e.g. 5xx=0.2,429=0.1,429-retry-after=0.1,reset=0.05,slow=0.05:3000,burst429=5
                      wrong 200s: empty-page=N[:SKIP], empty-list=N[:SKIP], missing-key=P[:FIELD]
  --latency SPEC      per-request pace: aggregation=MS[:ROWS_PER_S],list=MS[:ROWS_PER_S], or realistic
                      (= aggregation=2000:25000,list=500:5000; default off)
  --volume X          rows per hour multiplier (default 1)
  --late-fraction F   fraction of events visible only 4-6 h after their hour (default 0.1)
  --mutate-every MS   modify, create or delete a metadata object every MS ms (default 0 = never)
  --history-days N    days of events before start-up (default 7)
  --row-budget N      aggregations scanning more rows fail as "too large" (default unlimited)
  --window-cache-rows N  sorted event-window rows kept between pages (default 1200000; 0 = off)
  --hot-spots MODE    realistic (default: about a dozen rows share a hot spot's millisecond; a daily bulk
                      sync touches 40% of accounts and visitors at one ms) or stress (more than 1000 rows)
  --extra-visitors N  visitors beyond the 200 seeded ones (default 0)
  --wrong-region-status N  status for a key used on another region's host (default 400, as Pendo answers)
  --unknown-schema M  /metadata/schema/<unknown name>: empty (default, 200 {}) or not-found (404)
  --timezone TZ       subscription time zone (default America/New_York)
  --help              show this help

Inspection API (no key): GET /_emulator/info, /_emulator/truth/<source>?first=&last=, /_emulator/stats;
GET and PUT {"spec": ...} /_emulator/faults and /_emulator/latency; POST /_emulator/load (requests at once: now, peak)
  truth sources: feature page guide report segment trackType accounts visitors accountMetadata visitorMetadata,
  and the event sources pageEvents featureEvents trackEvents guideEvents pollEvents`;

function num(name: string, raw: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) throw new Error(`--${name} must be ${what}, got '${raw}'`);
  return n;
}

function choice<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  const found = allowed.find((a) => a === raw);
  if (!found) throw new Error(`--${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return found;
}

/** The first hour of events for `days` of history before now, as the emulator floors it. */
function historyStart(days: number | undefined): number | undefined {
  if (days === undefined) return undefined;
  const HOUR = 3_600_000;
  return Math.floor((Date.now() - days * 24 * HOUR) / HOUR) * HOUR;
}

/** Parses argv into emulator options; throws with a readable message on bad values. */
export function parseCliOptions(argv: string[]): PendoEmulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      key: { type: 'string' },
      faults: { type: 'string' },
      latency: { type: 'string' },
      volume: { type: 'string' },
      'late-fraction': { type: 'string' },
      'mutate-every': { type: 'string' },
      'row-budget': { type: 'string' },
      'history-days': { type: 'string' },
      'window-cache-rows': { type: 'string' },
      timezone: { type: 'string' },
      'hot-spots': { type: 'string' },
      'extra-visitors': { type: 'string' },
      'wrong-region-status': { type: 'string' },
      'unknown-schema': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  if (values.faults !== undefined) parseFaultSpec(values.faults);
  if (values.latency !== undefined) parseLatencySpec(values.latency);
  const whole = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
  return {
    port: num('port', values.port, (n) => whole(n) && n <= 65535, 'a port number 0-65535'),
    host: values.host,
    seed: num('seed', values.seed, Number.isSafeInteger, 'an integer'),
    key: values.key,
    faults: values.faults,
    latency: values.latency,
    volume: num('volume', values.volume, (n) => n >= 0, 'a non-negative number'),
    lateFraction: num('late-fraction', values['late-fraction'], (n) => n >= 0 && n <= 1, 'a number in [0, 1]'),
    mutateEveryMs: num('mutate-every', values['mutate-every'], whole, 'a whole number of milliseconds'),
    rowBudget: num('row-budget', values['row-budget'], whole, 'a whole number of rows'),
    dataStartMs: historyStart(
      num('history-days', values['history-days'], (n) => whole(n) && n >= 1, 'a whole number of days, at least 1'),
    ),
    windowCacheRows: num('window-cache-rows', values['window-cache-rows'], whole, 'a whole number of rows'),
    timezone: values.timezone,
    hotSpots: choice('hot-spots', values['hot-spots'], ['realistic', 'stress'] as const),
    extraVisitors: num('extra-visitors', values['extra-visitors'], whole, 'a whole number of visitors'),
    wrongRegionStatus: num(
      'wrong-region-status',
      values['wrong-region-status'],
      (n) => Number.isInteger(n) && n >= 400 && n <= 599,
      'an HTTP status 400-599',
    ),
    unknownSchema: choice('unknown-schema', values['unknown-schema'], ['empty', 'not-found'] as const),
  };
}

/** Runs the emulator until SIGINT/SIGTERM, then closes it. */
export async function main(argv: string[]): Promise<void> {
  let opts: PendoEmulatorOptions | 'help';
  try {
    opts = parseCliOptions(argv);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (opts === 'help') {
    console.log(HELP);
    return;
  }
  const emulator = await startPendoEmulator(opts);
  console.log(`Pendo emulator listening on ${emulator.url}`);
  console.log(`  regions: ${emulator.url}/{${REGIONS.join(',')}}/api/v1/...  (un-prefixed /api/v1 = us)`);
  for (const region of REGIONS) console.log(`  key ${region.padEnd(4)} ${emulator.keys[region]}`);
  console.log(`  default key: ${emulator.key}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emulator.close();
  console.log('Pendo emulator stopped');
}
