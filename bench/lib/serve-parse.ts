import { request } from 'node:http';
import { streamJsonArrayBatches } from '../../src/pendo/json-array-stream';
import { REGISTRY } from '../../src/resources/registry';
import { eventWindowBody } from '../../src/pendo/requests';
import { HOUR } from '../../src/workflows/capture/cursor';
import { BENCH_KEY } from './emulator-data';

export interface ServeParse {
  rows: number;
  bytes: number;
  /** Rows per second the emulator sent the first time, generating and sorting each hour, read and not parsed. */
  coldRowsPerS: number;
  /** Rows per second it sent the same pages again, from its window cache, as it serves the pages after a first. */
  servedRowsPerS: number;
  /** Rows per second pendoflow's stream parser makes of the same bytes, from memory. */
  parsedRowsPerS: number;
}

/** Passes of the cached read and of the parse; each figure is the median pass. */
const PASSES = 3;

/**
 * Reads the first page of each PageEvents hour of [fromMs, toMs) as raw bytes, timing how fast the emulator serves
 * them, then parses those bytes, in the chunks they arrived in, with pendoflow's client parser
 * (streamJsonArrayBatches), timing the parse alone. The emulator must be the faster by far, or benchmarks measure
 * it. The bytes are read with node:http and not kept whole, so the reader costs the serve figure little.
 */
export async function serveVersusParse(emulatorUrl: string, fromMs: number, toMs: number, limit: number) {
  const cold = await fetchHours(emulatorUrl, fromMs, toMs, limit);
  const served: number[] = [];
  let docs: Buffer[][] = [];
  for (let i = 0; i < PASSES; i++) {
    const pass = await fetchHours(emulatorUrl, fromMs, toMs, limit);
    served.push(pass.seconds);
    docs = pass.docs;
  }
  const bytes = docs.flat().reduce((n, c) => n + c.length, 0);
  const parsed: number[] = [];
  let rows = 0;
  for (let i = 0; i < PASSES; i++) {
    rows = 0;
    const started = performance.now();
    // One document per hour: the parser meets each envelope as it would on the wire.
    for (const doc of docs)
      for await (const batch of streamJsonArrayBatches(iterate(doc), 'results')) rows += batch.length;
    parsed.push((performance.now() - started) / 1000);
  }
  return {
    rows,
    bytes,
    coldRowsPerS: rows / cold.seconds,
    servedRowsPerS: rows / median(served),
    parsedRowsPerS: rows / median(parsed),
  } satisfies ServeParse;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The first page of each hour of [fromMs, toMs), each as the chunks it arrived in, and the seconds they took. */
async function fetchHours(emulatorUrl: string, fromMs: number, toMs: number, limit: number) {
  const def = REGISTRY.PageEvents;
  const docs: Buffer[][] = [];
  let seconds = 0;
  for (let hour = fromMs; hour < toMs; hour += HOUR) {
    const body = JSON.stringify(eventWindowBody(def, { fromMs: hour, toMs: hour + HOUR, limit }));
    const started = performance.now();
    docs.push(await post(`${emulatorUrl}/api/v1/aggregation`, body));
    seconds += (performance.now() - started) / 1000;
  }
  return { docs, seconds };
}

function post(url: string, body: string): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'x-pendo-integration-key': BENCH_KEY, 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode === 200) resolve(chunks);
          else reject(new Error(`aggregation: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString()}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function* iterate(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}
