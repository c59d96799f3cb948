import { createHash } from 'node:crypto';
import type { MessageResult } from '../aep/inlet';
import type { Row } from '../pendo/registry';
import type { ResourceName } from '../shared/resources';
import type { LocalCollections } from './collections';
import type { DeliveryLedger } from './delivery-ledger';
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
  /** Refused by the inlet for good (for example invalid); listed in the worker's log, never retried. */
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

const BATCH_MESSAGES = 500;
const MESSAGE_TRIES = 5;

/**
 * Sends every document of one collection partition to the inlet as one message each, in batches of at most 1 MB.
 * After each batch every message is acknowledged or refused for good, and the ledger moves past it; a crash
 * mid-batch can repeat that one batch, with the same `uniqueId`s. A partition whose content changed (a rescan)
 * is delivered again from the start.
 */
export async function deliverPartition(opts: {
  collections: LocalCollections;
  ledger: DeliveryLedger;
  sender: BatchSender;
  inlet: InletTarget;
  resource: ResourceName;
  target: string;
  partition: string;
  pause: (ms: number) => Promise<void>;
  onRejected?: (message: PendoMessage, reason: string) => void;
  signal?: AbortSignal;
}): Promise<DeliveryResult> {
  const { collections, ledger, target, partition } = opts;
  const contentHash = await hashPartition(collections, target, partition);
  const before = await ledger.read(target, partition);
  const entry = before?.contentHash === contentHash ? before : { contentHash, acked: 0, rejected: 0 };
  const result: DeliveryResult = { sent: 0, skipped: entry.acked, rejected: 0 };
  let position = 0;
  let batch: PendoMessage[] = [];

  const flush = async () => {
    if (!batch.length) return;
    const refused = await sendWithRetries(opts, batch);
    for (const [message, reason] of refused) opts.onRejected?.(message, reason);
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
  if (!before || before.contentHash !== contentHash) await ledger.write(target, partition, entry);
  return result;
}

/** Sends a batch until every message is acknowledged or refused for good; returns the refused ones. */
async function sendWithRetries(
  opts: { sender: BatchSender; inlet: InletTarget; pause: (ms: number) => Promise<void>; signal?: AbortSignal },
  messages: PendoMessage[],
): Promise<[PendoMessage, string][]> {
  let pending = messages;
  const refused: [PendoMessage, string][] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const results = await opts.sender.sendBatch(opts.inlet.inletUrl, opts.inlet.flowId, pending, {
      signal: opts.signal,
    });
    const retry: PendoMessage[] = [];
    let wait = 0;
    for (const r of results) {
      const message = pending[r.index] as PendoMessage;
      if (r.ok) continue;
      if (!r.retryable) refused.push([message, `${r.type}: ${r.message}`]);
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

async function hashPartition(collections: LocalCollections, target: string, partition: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const line of collections.partitionLines(target, partition)) hash.update(line).update('\n');
  return hash.digest('base64url');
}
