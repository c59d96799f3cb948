import { Agent } from 'node:http';
import { cancellationSignal, heartbeat } from '@temporalio/activity';
import type { EventWindowInput, EventWindowResult, SnapshotResult, StepTarget } from '../shared/activity-types';
import type { LocalCollections } from '../sinks/collections';
import { captureEventWindow } from './event-window';
import { toApplicationFailure } from './failures';
import { connectPendo } from './pendo-connection';
import { captureSnapshot } from './snapshot';

export interface ActivityDeps {
  collections: LocalCollections;
}

/** The worker's activities. Each writes documents to the sink itself and returns only counts. */
export function createActivities({ collections }: ActivityDeps) {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const client = (input: StepTarget) =>
    connectPendo(input.endpoint, input.limits.requestTimeoutMs, cancellationSignal(), httpAgent);

  return {
    /**
     * Snapshots a metadata resource into its collection: changed objects and tombstones only.
     * Idempotent (the collection is the previous state). Permanent: PendoAuthError, PendoWrongRegion,
     * PendoBadRequest, PendoflowConfigError. Returns counts, never documents.
     */
    async captureSnapshot(input: StepTarget): Promise<SnapshotResult> {
      try {
        return await captureSnapshot(input, client(input), collections);
      } catch (err) {
        throw toApplicationFailure(err);
      }
    },

    /**
     * Captures the hours [fromMs, toMs) of an event resource, replacing their partitions atomically.
     * Idempotent per window. Heartbeats after each page. PendoTooLarge asks the workflow to split the window.
     */
    async captureEventWindow(input: EventWindowInput): Promise<EventWindowResult> {
      try {
        return await captureEventWindow(input, client(input), collections, (progress) => heartbeat(progress));
      } catch (err) {
        throw toApplicationFailure(err);
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
