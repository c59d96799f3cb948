import { PendoErrorType } from '../../workflows/common/errors';
import { HOUR } from '../../workflows/common/time';
import type { EventWindowInput, EventWindowResult } from '../../workflows/capture/activity-types';
import type { PendoClient } from '../../pendo/client';
import { PendoError } from '../../pendo/errors';
import { REGISTRY, type ResourceDefinition, type Row } from '../../resources';
import { documentKey, keyValues, missingKeyField } from '../../resources/keys';
import { eventWindowBody } from '../../pendo/requests';
import { hourPartition, type LocalCollections } from '../../sinks/collections';
import type { PartitionWriter } from '../../sinks/partition-writer';
import { DEFAULT_SHRINK_GUARD, isSharpShrink, judgeReread } from './shrink-guard';

type Client = Pick<PendoClient, 'aggregateBatches'>;
export type Warn = (message: string, details: Record<string, unknown>) => void;

const iso = (ms: number) => new Date(ms).toISOString();

/** The hour a row belongs to: its `hour` bucket for aggregates, the hour of its timestamp for raw events. */
function rowHour(def: ResourceDefinition, row: Row): number {
  const t = Number(row[def.cursorField]);
  if (!Number.isFinite(t))
    throw new PendoError(PendoErrorType.BadResponse, `a ${def.name} row has no ${def.cursorField}`);
  return def.kind === 'aggregatedEvents' ? t : t - (((t % HOUR) + HOUR) % HOUR);
}

interface Reader {
  def: ResourceDefinition;
  input: EventWindowInput;
  client: Client;
  pause: (ms: number) => Promise<void>;
  /** Called after each page with the pages and rows read so far in this read. */
  onPage: (pages: number, rows: number) => void;
  /** Called when an empty page is asked for again; absent, an empty page is believed at once. */
  onEmptyReread?: () => void;
}

/**
 * Reads every row of the hours [fromMs, toMs) in key order and hands each to `accept`, which returns false for a
 * row it skipped. Pages are keyset-paged on the full key, so no row is skipped or read twice, however many share a
 * timestamp; a transient failure of one page is retried from the last accepted row. A row without a key field is a
 * BadResponse, and so is never accepted. An empty page is asked for once more before it ends the read.
 */
async function readRows(
  r: Reader,
  fromMs: number,
  toMs: number,
  accept: (row: Row, hour: number) => Promise<boolean>,
): Promise<void> {
  const { def, input } = r;
  let lastAccepted: Row | undefined;
  let pages = 0;
  let rows = 0;
  let failures = 0;
  let emptyOnce = false;
  for (;;) {
    let n = 0;
    const before = rows;
    try {
      const after = lastAccepted && keyValues(def, lastAccepted);
      for await (const batch of r.client.aggregateBatches(eventWindowBody(def, { ...input, fromMs, toMs, after }))) {
        for (const row of batch) {
          n++;
          const missing = missingKeyField(def, row);
          if (missing) {
            throw new PendoError(
              PendoErrorType.BadResponse,
              `Pendo returned a ${def.name} row without its key field ${missing} (row ${before + n} of ` +
                `[${iso(fromMs)}, ${iso(toMs)}), on page ${pages + 1}); it is not stored and the page is read again`,
            );
          }
          const hour = rowHour(def, row);
          if (hour < fromMs || hour >= toMs) {
            throw new PendoError(
              PendoErrorType.BadResponse,
              `Pendo returned a ${def.name} row of hour ${iso(hour)} outside [${iso(fromMs)}, ${iso(toMs)})`,
            );
          }
          if (await accept(row, hour)) {
            lastAccepted = row;
            rows++;
          }
        }
      }
    } catch (err) {
      const wait = retryDelay(err, ++failures);
      if (wait === undefined) throw err;
      await r.pause(wait);
      continue;
    }
    failures = 0;
    // A well-formed `"results": []` can be wrong: believe it only when asked twice.
    if (n === 0 && !emptyOnce && r.onEmptyReread) {
      emptyOnce = true;
      r.onEmptyReread();
      continue;
    }
    emptyOnce = false;
    pages++;
    r.onPage(pages, rows);
    if (n < input.limit) return;
  }
}

/** An hour whose read would replace what is stored sharply: its read waits, sealed, for a second opinion. */
interface Doubtful {
  hour: number;
  stored: number;
  read: number;
  writer?: PartitionWriter;
}

/**
 * Reads every row of the hours in [fromMs, toMs) and replaces those hours' partitions with them.
 * Rows arrive sorted by hour; each hour's partition is committed when the next hour starts, unless it would shrink
 * sharply from what is stored (see shrink-guard): such an hour is read again on its own, and replaced only when the
 * two reads agree (a confirmed shrink, counted and logged) or the second read does not shrink. A retried window
 * rewrites the same partitions with the same or newer content, so it never duplicates a document.
 */
export async function captureEventWindow(
  input: EventWindowInput,
  client: Client,
  collections: LocalCollections,
  onPage: (progress: { pages: number; rows: number }) => void,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  warn: Warn = () => undefined,
): Promise<EventWindowResult> {
  const def = REGISTRY[input.resource];
  const guard = input.limits.shrinkGuard ?? DEFAULT_SHRINK_GUARD;
  let pages = 0;
  let rereads = 0;
  let shrinks = 0;
  const reader = (base: number, secondOpinion = false): Reader => ({
    def,
    input,
    client,
    pause,
    onPage: (p, rows) => {
      pages = base + p;
      onPage({ pages, rows });
    },
    // An hour read again is itself the second opinion on an empty answer.
    onEmptyReread: secondOpinion
      ? undefined
      : () => {
          rereads++;
          warn('Pendo answered an empty page; asking again before believing it', {
            resource: def.name,
            window: `${iso(input.fromMs)}/${iso(input.toMs)}`,
          });
        },
  });

  const written = new Set<number>();
  const doubtful: Doubtful[] = [];
  let current: { hour: number; writer: PartitionWriter; lastKey: string } | undefined;
  let rows = 0;

  async function close(c: { hour: number; writer: PartitionWriter }): Promise<void> {
    const stored = await collections.countPartition(input.target, hourPartition(c.hour));
    const read = c.writer.documents;
    if (!isSharpShrink(stored, read, guard)) {
      await c.writer.commit();
      return;
    }
    await c.writer.seal();
    doubtful.push({ hour: c.hour, stored, read, writer: c.writer });
  }

  try {
    await readRows(reader(0), input.fromMs, input.toMs, async (row, hour) => {
      if (current && hour < current.hour) {
        throw new PendoError(
          PendoErrorType.BadResponse,
          `Pendo returned a ${def.name} row of hour ${iso(hour)} after hour ${iso(current.hour)}: out of order`,
        );
      }
      if (!current || current.hour !== hour) {
        if (current) await close(current);
        current = { hour, writer: await collections.openPartition(input.target, hourPartition(hour)), lastKey: '' };
        written.add(hour);
      }
      const key = documentKey(def, row);
      if (key === current.lastKey) return false;
      current.lastKey = key;
      const flushing = current.writer.write(row);
      if (flushing) await flushing;
      rows++;
      return true;
    });
    if (current) await close(current);
    current = undefined;
    // Hours that came back empty would lose whatever an earlier read had put there.
    for (let hour = input.fromMs; hour < input.toMs; hour += HOUR) {
      if (written.has(hour)) continue;
      const stored = await collections.countPartition(input.target, hourPartition(hour));
      if (stored === 0) await collections.removePartition(input.target, hourPartition(hour));
      else doubtful.push({ hour, stored, read: 0 });
    }
    while (doubtful.length > 0) {
      const d = doubtful[0] as Doubtful;
      const second = await rereadHour(d.hour);
      rereads++;
      const verdict = judgeReread(d.stored, d.read, second.documents, guard);
      const details = {
        resource: def.name,
        hour: iso(d.hour),
        stored: d.stored,
        read: d.read,
        reread: second.documents,
      };
      if (verdict === 'retry') {
        await second.abort();
        throw new PendoError(
          PendoErrorType.BadResponse,
          `Pendo answered ${def.name} hour ${iso(d.hour)} with ${d.read} rows, then ${second.documents}, ` +
            `where ${d.stored} are stored; nothing is replaced and the window is read again`,
        );
      }
      if (verdict === 'confirmed') {
        shrinks++;
        warn(
          'an hour shrank sharply and a second read confirmed it; the smaller hour replaces the stored one',
          details,
        );
      } else {
        warn('an hour shrank sharply but a second read did not; the second read replaces the stored hour', details);
      }
      rows += second.documents - d.read;
      await d.writer?.abort();
      doubtful.shift();
      if (second.documents > 0) {
        written.add(d.hour);
        await second.commit();
      } else {
        written.delete(d.hour);
        await second.abort();
        await collections.removePartition(input.target, hourPartition(d.hour));
      }
    }
  } catch (err) {
    await current?.writer.abort();
    for (const d of doubtful) await d.writer?.abort();
    throw err;
  }
  return { rows, pages, hoursWithData: written.size, rereads, shrinks };

  /** Reads one hour into a fresh temporary partition and seals it. */
  async function rereadHour(hour: number): Promise<PartitionWriter> {
    const writer = await collections.openPartition(input.target, hourPartition(hour));
    try {
      let lastKey = '';
      await readRows(reader(pages, true), hour, hour + HOUR, async (row) => {
        const key = documentKey(def, row);
        if (key === lastKey) return false;
        lastKey = key;
        const flushing = writer.write(row);
        if (flushing) await flushing;
        return true;
      });
      await writer.seal();
      return writer;
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }
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
