import { BATCH_MESSAGES, sendWithRetries, type BatchSender, type InletTarget } from './aep-delivery';
import type { DeliveryLedger } from './contract';
import type { DeadLetter, DeadLetterStore } from './dead-letters';

export interface ReplayResult {
  replayed: number;
  accepted: number;
  /** Refused again; kept, with the new error. */
  refused: number;
}

/**
 * Sends the dead letters of `targets` (and of their outboxes) to the inlet again. An accepted message leaves
 * the store; one refused again stays, with the new error. A request refused as a whole throws `DeliveryError`
 * and changes nothing.
 */
export async function replayDeadLetters(opts: {
  deadLetters: DeadLetterStore;
  ledger: DeliveryLedger;
  sender: BatchSender;
  inlet: InletTarget;
  targets: readonly string[];
  pause: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: 0, accepted: 0, refused: 0 };
  for (const target of opts.targets) {
    const letters = await opts.deadLetters.list(target);
    for (let i = 0; i < letters.length; i += BATCH_MESSAGES) {
      const chunk = letters.slice(i, i + BATCH_MESSAGES);
      const refused = await sendWithRetries(
        opts,
        chunk.map((l) => l.message),
      );
      const again = new Map(refused.map(([m, error]) => [m.uniqueId, error]));
      const at = new Date().toISOString();
      const kept: DeadLetter[] = [];
      const byTarget = new Map<string, string[]>();
      for (const l of chunk) {
        const error = again.get(l.uniqueId);
        if (error) kept.push({ ...l, error, at });
        else byTarget.set(l.target, [...(byTarget.get(l.target) ?? []), l.uniqueId]);
      }
      if (kept.length) await opts.deadLetters.put(kept);
      for (const [t, ids] of byTarget) await opts.ledger.settleReplay(t, ids);
      result.replayed += chunk.length;
      result.refused += kept.length;
      result.accepted += chunk.length - kept.length;
    }
  }
  return result;
}
