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

/**
 * Reads the PageEvents of [fromMs, toMs) once as raw bytes, timing how fast the emulator serves them, then parses
 * those bytes with pendoflow's client parser (streamJsonArrayBatches, in the 64 KiB chunks it gets from the
 * network), timing the parse alone. The emulator must be the faster by far, or benchmarks measure it.
 */
export async function serveVersusParse(emulatorUrl: string, fromMs: number, toMs: number, limit: number) {
  const cold = await fetchHours(emulatorUrl, fromMs, toMs, limit);
  const { docs, seconds: servedS } = await fetchHours(emulatorUrl, fromMs, toMs, limit);
  const bytes = docs.reduce((n, c) => n + c.length, 0);
  const sliced = docs.map((doc) => chunked(doc, 64 * 1024));
  let rows = 0;
  const started = performance.now();
  // One document per hour: the parser meets each envelope as it would on the wire.
  for (const doc of sliced)
    for await (const batch of streamJsonArrayBatches(iterate(doc), 'results')) rows += batch.length;
  const parsedS = (performance.now() - started) / 1000;
  return {
    rows,
    bytes,
    coldRowsPerS: rows / cold.seconds,
    servedRowsPerS: rows / servedS,
    parsedRowsPerS: rows / parsedS,
  } satisfies ServeParse;
}

/** The first page of each hour of [fromMs, toMs), as bytes, and the seconds they took to arrive. */
async function fetchHours(emulatorUrl: string, fromMs: number, toMs: number, limit: number) {
  const def = REGISTRY.PageEvents;
  const docs: Buffer[] = [];
  let seconds = 0;
  for (let hour = fromMs; hour < toMs; hour += HOUR) {
    const started = performance.now();
    const res = await fetch(`${emulatorUrl}/api/v1/aggregation`, {
      method: 'POST',
      headers: { 'x-pendo-integration-key': BENCH_KEY, 'content-type': 'application/json' },
      body: JSON.stringify(eventWindowBody(def, { fromMs: hour, toMs: hour + HOUR, limit })),
    });
    if (!res.ok) throw new Error(`aggregation: HTTP ${res.status} ${await res.text()}`);
    docs.push(Buffer.from(await res.arrayBuffer()));
    seconds += (performance.now() - started) / 1000;
  }
  return { docs, seconds };
}

/** A body cut into `size`-byte chunks, as the network hands them over. */
function chunked(doc: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < doc.length; i += size) out.push(doc.subarray(i, Math.min(doc.length, i + size)));
  return out;
}

async function* iterate(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}
