import type { PendoClient } from '../../pendo/client';
import { PendoError } from '../../pendo/errors';
import { incrementalBody, pathValue, type IncrementalSource } from '../../pendo/incremental';
import type { Row } from '../../resources';
import type { Collections } from '../../store/contract';
import { hourPartition, outboxTarget } from '../../store/names';
import { PendoErrorType } from '../../workflows/common/errors';
import { HOUR } from '../../workflows/common/time';
import { retryDelay } from './event-window';

/** Where a page waits for delivery before it is committed to its collection (as a snapshot's changes do). */
const OUTBOX_PARTITION = 'changes';

type Client = Pick<PendoClient, 'aggregateBatches'>;
type Key = readonly [number, string];

export interface IncrementalInput {
  target: string;
  startMs: number;
  /** Rows per page: the backfill limit while the collection is empty, the incremental limit after. */
  backfillLimit: number;
  incrementalLimit: number;
}

export interface IncrementalResult {
  rows: number;
  pages: number;
  delivered?: number;
}

function compareKeys(a: Key, b: Key): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}
const keyText = (key: Key): string => JSON.stringify(key);

/** A row's (updated-at, id), or a BadResponse naming what it lacks. */
function keyOf(def: IncrementalSource, row: Row, position: number): Key {
  const at = pathValue(row, def.cursorField);
  const id = row[def.idField];
  if (typeof at !== 'number' || !Number.isFinite(at) || typeof id !== 'string') {
    throw new PendoError(
      PendoErrorType.BadResponse,
      `Pendo returned a ${def.name} row without a numeric ${def.cursorField} and a string ${def.idField} ` +
        `(row ${position} of its page); nothing of the page is stored and it is read again`,
    );
  }
  return [at, id];
}

/** The (updated-at, id) of the newest document stored: the last of the newest hour, since hours are in key order. */
export async function lastStoredKey(
  collections: Collections,
  def: IncrementalSource,
  target: string,
): Promise<Key | undefined> {
  const hours = (await collections.partitions(target)).filter((p) => /^\d{4}-\d\d-\d\dT\d\d$/.test(p));
  const newest = hours.at(-1);
  if (newest === undefined) return undefined;
  let last: Key | undefined;
  for await (const doc of collections.readPartition(target, newest)) last = keyOf(def, doc, 0);
  return last;
}

/** One page, strictly after `after`, in key order; a transient failure is retried here a few times. */
async function readPage(
  client: Client,
  def: IncrementalSource,
  page: { startMs: number; limit: number; after?: Key },
  pause: (ms: number) => Promise<void>,
): Promise<Row[]> {
  for (let failures = 1; ; failures++) {
    const rows: Row[] = [];
    try {
      let previous = page.after;
      for await (const batch of client.aggregateBatches(incrementalBody(def, page))) {
        for (const row of batch) {
          const key = keyOf(def, row, rows.length + 1);
          // A row not after the one before would page forever or skip: refuse the page instead.
          if (previous && compareKeys(key, previous) <= 0) {
            throw new PendoError(
              PendoErrorType.BadResponse,
              `Pendo returned ${def.name} row ${keyText(key)} after ${keyText(previous)}: not in (updated-at, id) order`,
            );
          }
          previous = key;
          rows.push(row);
        }
      }
      return rows;
    } catch (err) {
      const wait = retryDelay(err, failures);
      if (wait === undefined) throw err;
      await pause(wait);
    }
  }
}

/** Adds a page's rows to the hour partitions they belong to; a row already there (a page read twice) is replaced. */
async function storePage(collections: Collections, def: IncrementalSource, target: string, rows: Row[]) {
  const byHour = new Map<number, Row[]>();
  for (const row of rows) {
    const at = pathValue(row, def.cursorField) as number;
    const hour = at - (((at % HOUR) + HOUR) % HOUR);
    const list = byHour.get(hour);
    if (list) list.push(row);
    else byHour.set(hour, [row]);
  }
  for (const [hour, fresh] of byHour) {
    const partition = hourPartition(hour);
    const incoming = new Set(fresh.map((row, i) => keyText(keyOf(def, row, i + 1))));
    const writer = await collections.openPartition(target, partition);
    try {
      for await (const doc of collections.readPartition(target, partition)) {
        const key = keyText(keyOf(def, doc, 0));
        if (incoming.has(key)) continue;
        const flushing = writer.write(doc, key);
        if (flushing) await flushing;
      }
      for (const row of fresh) {
        const flushing = writer.write(row, keyText(keyOf(def, row, 0)));
        if (flushing) await flushing;
      }
      await writer.commit();
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }
}

/**
 * Reads an incremental resource (Account, Visitor, TrackType) from where its collection ends to the present,
 * one page at a time, keyset-paged on (updated-at, id): any number of rows sharing one timestamp are read once
 * each, and paging always ends. The collection is a history: each version of an object is one document, in the
 * hour partition of its updated-at, so the newest stored document is the cursor and a crash resumes after it.
 * With a sink, each page is delivered through an outbox before it is committed. Memory holds one page.
 */
export async function captureIncremental(
  def: IncrementalSource,
  input: IncrementalInput,
  client: Client,
  collections: Collections,
  deliver?: (target: string, partition: string) => Promise<number>,
  onPage: (progress: { pages: number; rows: number }) => void = () => undefined,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<IncrementalResult> {
  let after = await lastStoredKey(collections, def, input.target);
  const limit = after ? input.incrementalLimit : input.backfillLimit;
  let rows = 0;
  let pages = 0;
  let delivered: number | undefined = deliver ? 0 : undefined;
  for (;;) {
    const page = await readPage(client, def, { startMs: input.startMs, limit, after }, pause);
    pages++;
    if (page.length > 0) {
      if (deliver) {
        const outbox = await collections.openPartition(outboxTarget(input.target), OUTBOX_PARTITION);
        for (const row of page) await outbox.write(row, keyText(keyOf(def, row, 0)));
        await outbox.commit();
        delivered = (delivered ?? 0) + (await deliver(outboxTarget(input.target), OUTBOX_PARTITION));
      }
      await storePage(collections, def, input.target, page);
      rows += page.length;
      after = keyOf(def, page[page.length - 1] as Row, page.length);
    }
    onPage({ pages, rows });
    if (page.length < limit) break;
  }
  return delivered === undefined ? { rows, pages } : { rows, pages, delivered };
}
