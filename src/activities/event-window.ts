import { PendoErrorType } from '../shared/errors';
import type { EventWindowInput, EventWindowResult } from '../shared/activity-types';
import type { PendoClient } from '../pendo/client';
import { PendoError } from '../pendo/errors';
import { documentKey, keyValues, REGISTRY, type ResourceDefinition, type Row } from '../pendo/registry';
import { eventWindowBody } from '../pendo/requests';
import { hourPartition, type LocalCollections } from '../sinks/collections';
import type { PartitionWriter } from '../sinks/partition-writer';

const HOUR = 3_600_000;

/** The hour a row belongs to: its `hour` bucket for aggregates, the hour of its timestamp for raw events. */
function rowHour(def: ResourceDefinition, row: Row): number {
  const t = Number(row[def.cursorField]);
  if (!Number.isFinite(t))
    throw new PendoError(PendoErrorType.BadResponse, `a ${def.name} row has no ${def.cursorField}`);
  return def.kind === 'aggregatedEvents' ? t : t - (((t % HOUR) + HOUR) % HOUR);
}

/**
 * Reads every row of the hours in [fromMs, toMs) and replaces those hours' partitions with them.
 * Pages are keyset-paged on the full key, so no row is skipped or read twice, however many share a timestamp.
 * Rows arrive sorted by hour; each hour's partition is committed when the next hour starts. A retried window
 * rewrites the same partitions with the same or newer content, so it never duplicates a document.
 */
export async function captureEventWindow(
  input: EventWindowInput,
  client: Pick<PendoClient, 'aggregateBatches'>,
  collections: LocalCollections,
  onPage: (progress: { pages: number; rows: number }) => void,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<EventWindowResult> {
  const def = REGISTRY[input.resource];
  const written = new Set<number>();
  let current: { hour: number; writer: PartitionWriter; lastKey: string } | undefined;
  // The last row written: a page (or a retry of one cut off mid-body) starts strictly after it.
  let lastWritten: Row | undefined;
  let rows = 0;
  let pages = 0;
  let failures = 0;
  try {
    for (;;) {
      let n = 0;
      try {
        const after = lastWritten && keyValues(def, lastWritten);
        for await (const batch of client.aggregateBatches(eventWindowBody(def, { ...input, after }))) {
          for (const row of batch) {
            n++;
            const hour = rowHour(def, row);
            if (hour < input.fromMs || hour >= input.toMs || (current && hour < current.hour)) {
              throw new PendoError(
                PendoErrorType.BadResponse,
                `Pendo returned a ${def.name} row of hour ${new Date(hour).toISOString()} out of order or outside ` +
                  `[${new Date(input.fromMs).toISOString()}, ${new Date(input.toMs).toISOString()})`,
              );
            }
            if (!current || current.hour !== hour) {
              if (current) await current.writer.commit();
              current = {
                hour,
                writer: await collections.openPartition(input.target, hourPartition(hour)),
                lastKey: '',
              };
              written.add(hour);
            }
            const key = documentKey(def, row);
            if (key === current.lastKey) continue;
            current.lastKey = key;
            const flushing = current.writer.write(row);
            if (flushing) await flushing;
            lastWritten = row;
            rows++;
          }
        }
      } catch (err) {
        const wait = retryDelay(err, ++failures);
        if (wait === undefined) throw err;
        await pause(wait);
        continue;
      }
      failures = 0;
      pages++;
      onPage({ pages, rows });
      if (n < input.limit) break;
    }
    if (current) await current.writer.commit();
    current = undefined;
  } catch (err) {
    await current?.writer.abort();
    throw err;
  }
  // Hours that came back empty lose whatever an earlier read had put there.
  for (let hour = input.fromMs; hour < input.toMs; hour += HOUR) {
    if (!written.has(hour)) await collections.removePartition(input.target, hourPartition(hour));
  }
  return { rows, pages, hoursWithData: written.size };
}

const PAGE_TRIES = 5;
const MAX_LOCAL_WAIT_MS = 30_000;

/**
 * How long to wait before asking for a page again, or undefined to give the failure to Temporal.
 * A transient failure of one page is retried here a few times, so one reset does not cost a whole window;
 * TooLarge goes up at once, because only a smaller window helps.
 */
export function retryDelay(err: unknown, failures: number): number | undefined {
  if (!(err instanceof PendoError) || !err.retryable || err.type === PendoErrorType.TooLarge) return undefined;
  if (failures >= PAGE_TRIES) return undefined;
  const wait = err.retryAfterMs ?? Math.min(5000, 250 * 2 ** (failures - 1));
  return wait <= MAX_LOCAL_WAIT_MS ? wait : undefined;
}
