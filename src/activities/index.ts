import { Agent } from 'node:http';
import { cancellationSignal, log, sleep } from '@temporalio/activity';
import { heartbeating } from './heartbeating';
import { InletClient } from '../aep/inlet';
import { deliverPartition } from '../sinks/aep-delivery';
import { hourPartition } from '../sinks/collections';
import type { DeliveryLedger } from '../sinks/delivery-ledger';
import type {
  CommittedCursor,
  EventWindowInput,
  EventWindowResult,
  SnapshotResult,
  StepTarget,
} from '../shared/activity-types';
import type { LocalCollections } from '../sinks/collections';
import { createAepActivities } from './aep-activities';
import { captureEventWindow } from './event-window';
import { toApplicationFailure } from './failures';
import { connectPendo } from './pendo-connection';
import { countDocuments, countError } from './metrics';
import { captureSnapshot } from './snapshot';

export interface ActivityDeps {
  collections: LocalCollections;
  /** Where AEP deliveries checkpoint; needed only by captures whose sink is an AEP inlet. */
  ledger: DeliveryLedger;
}

const HOUR = 3_600_000;

/** The worker's activities. Each writes documents to the sink itself and returns only counts. */
export function createActivities({ collections, ledger }: ActivityDeps) {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const inletClient = new InletClient({ timeoutMs: 60_000 });
  const client = (input: StepTarget) =>
    connectPendo(input.endpoint, input.limits.requestTimeoutMs, cancellationSignal(), httpAgent);

  /** Delivers a partition to the capture's AEP inlet; undefined when the capture has no such sink. */
  const deliverer = (input: StepTarget) => {
    const sink = input.sink;
    if (sink?.kind !== 'aepInlet') return undefined;
    return async (target: string, partition: string): Promise<number> => {
      const r = await deliverPartition({
        collections,
        ledger,
        sender: inletClient,
        inlet: sink,
        resource: input.resource,
        target,
        partition,
        pause: sleep,
        signal: cancellationSignal(),
        onRejected: (m, reason) => log.warn('the inlet refused a message for good', { uniqueId: m.uniqueId, reason }),
      });
      return r.sent;
    };
  };

  return {
    ...createAepActivities(),

    /**
     * Snapshots a metadata resource into its collection: changed objects and tombstones only.
     * Idempotent (the collection is the previous state). Permanent: PendoAuthError, PendoWrongRegion,
     * PendoBadRequest, PendoflowConfigError. Returns counts, never documents.
     */
    async captureSnapshot(input: StepTarget): Promise<SnapshotResult> {
      try {
        const result = await heartbeating(() => captureSnapshot(input, client(input), collections, deliverer(input)));
        countDocuments(input, result.changed + result.deleted);
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
     * Heartbeats after each page. PendoTooLarge asks the workflow to split the window.
     */
    async captureEventWindow(input: EventWindowInput): Promise<EventWindowResult> {
      try {
        const result = await heartbeating(async (progress) => {
          const r = await captureEventWindow(input, client(input), collections, progress, sleep);
          const deliver = deliverer(input);
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
