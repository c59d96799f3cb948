import { Agent } from 'node:http';
import { cancellationSignal, log, sleep } from '@temporalio/activity';
import { heartbeating } from './heartbeating';
import { InletClient } from '../aep/inlet';
import { deliverPartition } from '../sinks/aep-delivery';
import { hourPartition } from '../sinks/collections';
import type { DeadLetterStore } from '../sinks/dead-letters';
import type { DeliveryLedger } from '../sinks/delivery-ledger';
import type {
  CommittedCursor,
  EventWindowInput,
  EventWindowResult,
  SnapshotResult,
  StepTarget,
} from '../workflows/capture/activity-types';
import type { LocalCollections } from '../sinks/collections';
import { assertHostAllowed } from '../config/host-rules';
import type { WorkerTrust } from '../config/trust';
import { createAepActivities } from './dataflow/activities';
import { captureEventWindow } from './capture/event-window';
import { toApplicationFailure } from './failures';
import { HOUR } from '../workflows/common/time';
import { connectPendo } from './capture/pendo-connection';
import { countDelivery, countDocuments, countError, countShrinks } from './metrics';
import { captureSnapshot } from './capture/snapshot';
import { CaptureCooldowns, pacedRequests } from '../pendo/request-budget';
import { DEFAULT_REQUEST_BUDGET } from '../workflows/capture/bounds';

export interface ActivityDeps {
  collections: LocalCollections;
  /** Where AEP deliveries checkpoint; needed only by captures whose sink is an AEP inlet. */
  ledger: DeliveryLedger;
  /** The worker's rules for secret references and hosts; nothing a workflow sends can widen them. */
  trust: WorkerTrust;
  /** Where messages the inlet refused one by one wait for a replay. */
  deadLetters: DeadLetterStore;
}

/** The worker's activities. Each writes documents to the sink itself and returns only counts. */
export function createActivities({ collections, ledger, trust, deadLetters }: ActivityDeps) {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const inletClient = new InletClient({ timeoutMs: 60_000 });
  const client = (input: StepTarget) =>
    connectPendo(input.endpoint, trust, input.limits.requestTimeoutMs, cancellationSignal(), httpAgent);

  /** Delivers a partition to the capture's AEP inlet; undefined when the capture has no such sink. */
  const deliverer = (input: StepTarget) => {
    const sink = input.sink;
    if (sink?.kind !== 'aepInlet') return undefined;
    assertHostAllowed(sink.inletUrl, 'inlet', trust.allowedHosts);
    return async (target: string, partition: string): Promise<number> => {
      const r = await deliverPartition({
        collections,
        ledger,
        deadLetters,
        sender: inletClient,
        inlet: sink,
        resource: input.resource,
        target,
        partition,
        pause: sleep,
        signal: cancellationSignal(),
        onRejected: (l) =>
          log.warn('the inlet refused a message; kept as a dead letter', {
            uniqueId: l.uniqueId,
            target: l.target,
            reason: `${l.error.type}: ${l.error.message}`,
          }),
      });
      countDelivery(input, r);
      return r.sent;
    };
  };

  const warn = (message: string, details: Record<string, unknown>) => log.warn(message, details);
  const cooldowns = new CaptureCooldowns();
  /** One window's requests, paced to its slot of the capture's request budget. */
  const pacedClient = (input: StepTarget) => {
    const pendo = client(input);
    return pacedRequests((body) => pendo.aggregateBatches(body), {
      capture: input.capture,
      budget: {
        requestsPerSecond: input.limits.requestsPerSecond ?? DEFAULT_REQUEST_BUDGET.requestsPerSecond,
        concurrentRequests: input.limits.concurrentRequests ?? DEFAULT_REQUEST_BUDGET.concurrentRequests,
      },
      cooldowns,
      pause: sleep,
    });
  };

  return {
    ...createAepActivities(trust),

    /**
     * Snapshots a metadata resource into its collection: changed objects and tombstones only.
     * A list that would shrink sharply is read again first (PendoBadResponse, retryable, when the two reads
     * disagree); so is a list with an object lacking its id, which is never stored.
     * Idempotent (the collection is the previous state). Permanent: PendoAuthError, PendoWrongRegion,
     * PendoBadRequest, PendoflowConfigError. Returns counts, never documents.
     */
    async captureSnapshot(input: StepTarget): Promise<SnapshotResult> {
      try {
        const result = await heartbeating(() =>
          captureSnapshot(input, client(input), collections, deliverer(input), warn),
        );
        countDocuments(input, result.changed + result.deleted);
        countShrinks(input, result.shrinks);
        return result;
      } catch (err) {
        const failure = toApplicationFailure(err);
        countError(input, failure);
        throw failure;
      }
    },

    /**
     * Captures the hours [fromMs, toMs) of an event resource, replacing their partitions atomically, then
     * delivers them to the AEP inlet when the capture has one, then (with `commitCursor`) records `toMs` as the
     * collection's committed cursor. Idempotent per window (deliveries through a ledger).
     * Heartbeats after each page. PendoTooLarge asks the workflow to split the window. A row lacking a key field,
     * or an hour that would shrink sharply and reads differently a second time, is a retryable PendoBadResponse.
     */
    async captureEventWindow(input: EventWindowInput): Promise<EventWindowResult> {
      try {
        const result = await heartbeating(async (progress) => {
          const deliver = deliverer(input);
          const paced = pacedClient(input);
          const r = { ...(await captureEventWindow(input, paced, collections, progress, sleep, warn)) };
          if (paced.throttled > 0) r.throttled = paced.throttled;
          let delivered: number | undefined;
          if (deliver) {
            const present = new Set(await collections.partitions(input.target));
            delivered = 0;
            for (let hour = input.fromMs; hour < input.toMs; hour += HOUR) {
              if (present.has(hourPartition(hour))) delivered += await deliver(input.target, hourPartition(hour));
            }
          }
          if (input.commitCursor) {
            await collections.writeCursor(input.target, { startMs: input.commitCursor.startMs, cursorMs: input.toMs });
          }
          const finishedAtMs = Date.now();
          return delivered === undefined ? { ...r, finishedAtMs } : { ...r, delivered, finishedAtMs };
        });
        countDocuments(input, result.rows);
        countShrinks(input, result.shrinks);
        return result;
      } catch (err) {
        const failure = toApplicationFailure(err);
        countError(input, failure);
        throw failure;
      }
    },

    /**
     * The committed cursor of an event collection (see `commitCursor`), or null when it has none. Read-only;
     * a binding asks for it when it starts afresh, so a restarted capture resumes where its data ends.
     */
    async readCommittedCursor(input: { target: string }): Promise<CommittedCursor | null> {
      return collections.readCursor(input.target);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
