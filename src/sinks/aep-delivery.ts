import { createHash } from 'node:crypto';
import { AepError } from '../aep/errors';
import type { MessageResult } from '../aep/inlet';
import type { ResourceName, Row } from '../resources';
import type { LocalCollections } from './collections';
import type { DeadLetter, DeadLetterStore } from './dead-letters';
import type { DeliveryLedger, LedgerEntry } from './delivery-ledger';
import { type PendoMessage, toMessage } from './messages';

export interface InletTarget {
  inletUrl: string;
  flowId: string;
}

export interface BatchSender {
  sendBatch(
    inletUrl: string,
    flowId: string,
    messages: readonly unknown[],
    opts?: { signal?: AbortSignal },
  ): Promise<MessageResult[]>;
}

export interface DeliveryResult {
  sent: number;
  /** Already acknowledged by an earlier attempt. */
  skipped: number;
  /** Refused by the inlet one by one (for example invalid); kept as dead letters, to replay once fixed. */
  rejected: number;
}

export class DeliveryError extends Error {
  override name = 'AepDeliveryError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export const BATCH_MESSAGES = 500;
const MESSAGE_TRIES = 5;

/**
 * Sends every document of one collection partition to the inlet as one message each, in batches of at most 1 MB.
 * After each batch every message is accepted or, refused on its own, kept as a dead letter, and the ledger moves
 * past it; a crash mid-batch can repeat that one batch, with the same `uniqueId`s. A request refused as a whole
 * (403, 404...) throws `DeliveryError` and acknowledges nothing. A partition whose content changed (a rescan)
 * is delivered again from the start.
 */
export async function deliverPartition(opts: {
  collections: LocalCollections;
  ledger: DeliveryLedger;
  deadLetters: DeadLetterStore;
  sender: BatchSender;
  inlet: InletTarget;
  resource: ResourceName;
  target: string;
  partition: string;
  pause: (ms: number) => Promise<void>;
  onRejected?: (letter: DeadLetter) => void;
  signal?: AbortSignal;
}): Promise<DeliveryResult> {
  const { collections, ledger, target, partition } = opts;
  const { contentHash, total } = await hashPartition(collections, target, partition);
  const before = await ledger.read(target, partition);
  const same = before?.contentHash === contentHash;
  const entry: LedgerEntry = same
    ? { ...before, total }
    : {
        contentHash,
        acked: 0,
        rejected: 0,
        total,
        deliveredBefore: before ? (before.deliveredBefore ?? 0) + before.acked - before.rejected : 0,
      };
  // Written before sending, so a delivery that fails shows its messages as pending.
  if (!same || before?.total !== total) await ledger.write(target, partition, entry);
  const result: DeliveryResult = { sent: 0, skipped: entry.acked, rejected: 0 };
  let position = 0;
  let batch: PendoMessage[] = [];

  const flush = async () => {
    if (!batch.length) return;
    const refused = await sendWithRetries(opts, batch);
    const at = new Date().toISOString();
    const letters: DeadLetter[] = refused.map(([message, error]) => ({
      target,
      partition,
      resource: opts.resource,
      uniqueId: message.uniqueId,
      message,
      error,
      at,
    }));
    // Dead letters are kept before the ledger moves past them.
    if (letters.length) await opts.deadLetters.put(letters);
    for (const letter of letters) opts.onRejected?.(letter);
    result.sent += batch.length - refused.length;
    result.rejected += refused.length;
    entry.acked += batch.length;
    entry.rejected += refused.length;
    await ledger.write(target, partition, entry);
    batch = [];
  };

  for await (const doc of collections.readPartition(target, partition)) {
    if (position++ < entry.acked) continue;
    batch.push(toMessage(opts.resource, doc as Row));
    if (batch.length >= BATCH_MESSAGES) await flush();
  }
  await flush();
  return result;
}

type Refusal = DeadLetter['error'];

/** Sends a batch until every message is accepted or refused on its own; returns the refused ones. */
export async function sendWithRetries(
  opts: { sender: BatchSender; inlet: InletTarget; pause: (ms: number) => Promise<void>; signal?: AbortSignal },
  messages: PendoMessage[],
): Promise<[PendoMessage, Refusal][]> {
  let pending = messages;
  const refused: [PendoMessage, Refusal][] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    let results: MessageResult[];
    try {
      results = await opts.sender.sendBatch(opts.inlet.inletUrl, opts.inlet.flowId, pending, {
        signal: opts.signal,
      });
    } catch (err) {
      if (!(err instanceof AepError) || err.type === 'AepCancelled') throw err;
      // A whole request refused says nothing about its messages: none is acknowledged, the activity retries.
      throw new DeliveryError(
        `the AEP inlet refused a whole request (${err.type}, HTTP ${err.status ?? '—'}); none of its ` +
          `${pending.length} message(s) was acknowledged, and delivery resumes there on the next attempt. ${err.message}`,
        err.retryAfterMs,
      );
    }
    const retry: PendoMessage[] = [];
    let wait = 0;
    for (const r of results) {
      const message = pending[r.index] as PendoMessage;
      if (r.ok) continue;
      if (!r.retryable) refused.push([message, { type: r.type, status: r.status, message: r.message }]);
      else {
        retry.push(message);
        wait = Math.max(wait, r.retryAfterMs ?? Math.min(10_000, 250 * 2 ** (attempt - 1)));
      }
    }
    if (retry.length && attempt >= MESSAGE_TRIES) {
      // Leave the batch unacknowledged; the activity's retry resumes here, after Temporal's backoff.
      throw new DeliveryError(`the inlet did not accept ${retry.length} message(s) after ${attempt} tries`, wait);
    }
    if (retry.length) await opts.pause(wait);
    pending = retry;
  }
  return refused;
}

async function hashPartition(
  collections: LocalCollections,
  target: string,
  partition: string,
): Promise<{ contentHash: string; total: number }> {
  const hash = createHash('sha1');
  let total = 0;
  for await (const line of collections.partitionLines(target, partition)) {
    hash.update(line).update('\n');
    total++;
  }
  return { contentHash: hash.digest('base64url'), total };
}
