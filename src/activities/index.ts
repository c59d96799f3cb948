import { Agent } from 'node:http';
import { activityInfo, cancellationSignal, log, sleep } from '@temporalio/activity';
import { heartbeating } from './heartbeating';
import { InletClient } from '../aep/inlet';
import { deliverPartition } from '../store/aep-delivery';
import type { Collections, DeliveryLedger } from '../store/contract';
import { hourPartition } from '../store/names';
import type {
  CommittedCursor,
  EventWindowInput,
  EventWindowResult,
  IncrementalStepInput,
  IncrementalStepResult,
  SnapshotResult,
  SnapshotWatchInput,
  SnapshotWatchResult,
  StepTarget,
} from '../workflows/capture/activity-types';
import { assertHostAllowed } from '../config/host-rules';
import type { WorkerTrust } from '../config/trust';
import { createAepActivities } from './dataflow/activities';
import { captureEventWindow } from './capture/event-window';
import { toApplicationFailure } from './failures';
import { HOUR } from '../workflows/common/time';
import { connectPendo } from './capture/pendo-connection';
import { countDelivery, countDocuments, countError, countShrinks } from './metrics';
import { captureSnapshot, type ListMemos } from './capture/snapshot';
import { handBack, pollFoundSomething, unchangedFailure, watchDue } from './capture/snapshot-watch';
import { captureIncremental } from './capture/incremental';
import { REGISTRY } from '../resources';
import { incrementalSource } from '../resources/keys';
import { CaptureCooldowns, pacedRequests } from '../pendo/request-budget';
import { DEFAULT_REQUEST_BUDGET } from '../workflows/capture/bounds';

export interface ActivityDeps {
  /** The store's collections: local files, or the PostgreSQL store shared by every worker. */
  collections: Collections;
  /** Where AEP deliveries checkpoint, and where refused messages wait as dead letters (with each batch). */
  ledger: DeliveryLedger;
  /** The worker's rules for secret references and hosts; nothing a workflow sends can widen them. */
  trust: WorkerTrust;
}

/** The worker's activities. Each writes documents to the sink itself and returns only counts. */
export function createActivities({ collections, ledger, trust }: ActivityDeps) {
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

  /** Runs a capture step, counting what it stored and, when it fails, its error type; the failure is mapped once. */
  async function counted<T>(
    input: StepTarget,
    step: () => Promise<T>,
    stored: (result: T) => { documents: number; shrinks?: number },
  ): Promise<T> {
    try {
      const result = await step();
      const { documents, shrinks } = stored(result);
      countDocuments(input, documents);
      if (shrinks !== undefined) countShrinks(input, shrinks);
      return result;
    } catch (err) {
      const failure = toApplicationFailure(err);
      countError(input, failure);
      throw failure;
    }
  }
  // This worker's view of the lists it applied last, checked against the store's versions at every poll.
  const memos: ListMemos = new Map();
  const snapshot = (input: StepTarget) => () =>
    captureSnapshot(input, client(input), collections, { deliver: deliverer(input), warn, memos });
  const snapshotStored = (r: SnapshotResult) => ({ documents: r.changed + r.deleted, shrinks: r.shrinks });

  return {
    ...createAepActivities(trust),

    /**
     * Snapshots a metadata resource into its collection: changed objects and tombstones only.
     * A list that would shrink sharply is read again first (PendoBadResponse, retryable, when the two reads
     * disagree); so is a list with an object lacking its id, which is never stored.
     * Idempotent (the collection is the previous state). Permanent: PendoAuthError, PendoWrongRegion,
     * PendoBadRequest, PendoflowConfigError. Returns counts, never documents.
     */
    captureSnapshot(input: StepTarget): Promise<SnapshotResult> {
      return counted(input, () => heartbeating(snapshot(input)), snapshotStored);
    },

    /**
     * captureSnapshot run as a local activity, inside the binding's workflow task: one task per poll instead of
     * two, and no activity task to dispatch. It does not heartbeat (a local activity cannot); a killed worker is
     * noticed by the workflow task's timeout, and the step, idempotent, runs again.
     */
    pollSnapshot(input: StepTarget): Promise<SnapshotResult> {
      return counted(input, snapshot(input), snapshotStored);
    },

    /**
     * captureSnapshot polled every interval inside one activity: each attempt polls once, and one that finds nothing
     * changed fails with PendoflowSnapshotUnchanged, which Temporal retries after `intervalMs` without a workflow
     * task. Returns on the first poll that changes something, or once the watch is due (see WATCH_HANDBACK); a
     * transient failure of a due watch is handed back to the binding (details `handedBack`). Heartbeats only on
     * a list that takes long, so a quick poll costs no heartbeat.
     */
    async watchSnapshot(input: SnapshotWatchInput): Promise<SnapshotWatchResult> {
      const { attempt, scheduledTimestampMs } = activityInfo();
      const due = watchDue(attempt, scheduledTimestampMs, Date.now());
      let r: SnapshotResult;
      try {
        r = await counted(input, () => heartbeating(snapshot(input), 10_000, { atStart: false }), snapshotStored);
      } catch (err) {
        throw due ? handBack(err) : err;
      }
      if (!due && !pollFoundSomething(r)) throw unchangedFailure(input, r);
      return { ...r, polls: attempt, polledAtMs: Date.now() };
    },

    /**
     * Captures the hours [fromMs, toMs) of an event resource, replacing their partitions atomically, then
     * delivers them to the AEP inlet when the capture has one, then (with `commitCursor`) records `toMs` as the
     * collection's committed cursor. Idempotent per window (deliveries through a ledger).
     * Heartbeats after each page. PendoTooLarge asks the workflow to split the window. A row lacking a key field,
     * or an hour that would shrink sharply and reads differently a second time, is a retryable PendoBadResponse.
     */
    captureEventWindow(input: EventWindowInput): Promise<EventWindowResult> {
      const step = () =>
        heartbeating(async (progress) => {
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
      return counted(input, step, (r) => ({ documents: r.rows, shrinks: r.shrinks }));
    },

    /**
     * Reads an incremental resource (Account, Visitor, TrackType) from the newest version its collection holds to
     * the present, keyset-paged on (updated-at, id), delivering each page through the outbox when the capture has
     * an AEP inlet, then storing it. Idempotent: a retry resumes after the newest stored version, and a page read
     * twice replaces itself. Heartbeats after each page. A row out of (updated-at, id) order or without its cursor
     * or id is a retryable PendoBadResponse. Returns counts, never documents.
     */
    captureIncremental(input: IncrementalStepInput): Promise<IncrementalStepResult> {
      const step = () =>
        heartbeating(async (progress) => {
          const r = await captureIncremental(
            incrementalSource(REGISTRY[input.resource]),
            {
              target: input.target,
              startMs: input.startMs,
              backfillLimit: input.limits.backfillLimit,
              incrementalLimit: input.limits.incrementalLimit,
            },
            client(input),
            collections,
            deliverer(input),
            progress,
            sleep,
          );
          return { ...r, finishedAtMs: Date.now() };
        });
      return counted(input, step, (r) => ({ documents: r.rows }));
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
