import { cancellationSignal, sleep } from '@temporalio/activity';
import { InletClient } from '../../aep/inlet';
import { assertHostAllowed } from '../../config/host-rules';
import type { WorkerTrust } from '../../config/trust';
import { REGISTRY, type ResourceName } from '../../resources';
import type { DeliverySummary, ReplaySummary } from '../../workflows/pipeline/types';
import type { InletTarget } from '../../sinks/aep-delivery';
import { type LocalCollections, outboxTarget } from '../../sinks/collections';
import type { DeadLetterStore } from '../../sinks/dead-letters';
import type { DeliveryLedger } from '../../sinks/delivery-ledger';
import { replayDeadLetters } from '../../sinks/replay';
import { toApplicationFailure } from '../failures';
import { gaugeDelivery } from '../metrics';

export interface DeliveryBindings {
  pipeline: string;
  bindings: { resource: ResourceName; target: string }[];
}

/** Activities over what the worker delivered to AEP inlets: its ledger and its dead letters. */
export function createDeliveryActivities(deps: {
  collections: LocalCollections;
  ledger: DeliveryLedger;
  deadLetters: DeadLetterStore;
  trust: WorkerTrust;
}) {
  const { collections, ledger, deadLetters, trust } = deps;
  const inletClient = new InletClient({ timeoutMs: 60_000 });

  return {
    /** Delivered, dead-lettered and pending counts of a pipeline's bindings, from the worker's disk. Read-only. */
    async describeDelivery(input: DeliveryBindings): Promise<DeliverySummary> {
      const summary: DeliverySummary = { delivered: 0, deadLettered: 0, pending: 0, lastRefusal: null };
      for (const { resource, target } of input.bindings) {
        const snapshot = REGISTRY[resource].kind === 'snapshot';
        const deliveryTarget = snapshot ? outboxTarget(target) : target;
        const totals = await ledger.totals(deliveryTarget);
        summary.delivered += totals.delivered;
        summary.pending += totals.pending;
        if (!snapshot) {
          // Hours captured but never handed to delivery yet (the delivery of their window failed first).
          for (const partition of await collections.partitions(target)) {
            if (totals.partitions.has(partition)) continue;
            summary.pending += await collections.countPartition(target, partition);
          }
        }
        for (const letter of await deadLetters.list(target)) {
          summary.deadLettered++;
          if (!summary.lastRefusal || letter.at > summary.lastRefusal.at) {
            summary.lastRefusal = {
              uniqueId: letter.uniqueId,
              resource: letter.resource,
              message: `${letter.error.type}: ${letter.error.message}`,
              at: letter.at,
            };
          }
        }
      }
      gaugeDelivery(input.pipeline, summary);
      return summary;
    },

    /**
     * Sends a pipeline's dead letters to its inlet again; accepted ones leave the store, refused ones stay with
     * their new error. A request refused as a whole fails the attempt (retryable) and changes nothing.
     */
    async replayDeadLetters(input: DeliveryBindings & { inlet: InletTarget }): Promise<ReplaySummary> {
      try {
        assertHostAllowed(input.inlet.inletUrl, 'inlet', trust.allowedHosts);
        return await replayDeadLetters({
          deadLetters,
          ledger,
          sender: inletClient,
          inlet: input.inlet,
          targets: input.bindings.map((b) => b.target),
          pause: sleep,
          signal: cancellationSignal(),
        });
      } catch (err) {
        throw toApplicationFailure(err);
      }
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
