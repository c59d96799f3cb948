import { Agent } from 'node:http';
import { cancellationSignal, heartbeat, sleep } from '@temporalio/activity';
import type { EventWindowInput, EventWindowResult, SnapshotResult, StepTarget } from '../shared/activity-types';
import type { LocalCollections } from '../sinks/collections';
import { captureEventWindow } from './event-window';
import { toApplicationFailure } from './failures';
import { connectPendo } from './pendo-connection';
import { countDocuments, countError } from './metrics';
import { captureSnapshot } from './snapshot';

const HEARTBEAT_EVERY_MS = 5000;

/**
 * Heartbeats on a timer while `fn` runs, so the server notices a dead worker within the heartbeat timeout
 * even when one Pendo response takes longer than that; the request timeout guards against a hung Pendo.
 */
async function heartbeating<T>(fn: (progress: (details: unknown) => void) => Promise<T>): Promise<T> {
  let details: unknown;
  const timer = setInterval(() => heartbeat(details), HEARTBEAT_EVERY_MS);
  try {
    return await fn((d) => {
      details = d;
      heartbeat(d);
    });
  } finally {
    clearInterval(timer);
  }
}

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
        const result = await heartbeating(() => captureSnapshot(input, client(input), collections));
        countDocuments(input, result.changed + result.deleted);
        return result;
      } catch (err) {
        const failure = toApplicationFailure(err);
        countError(input, failure);
        throw failure;
      }
    },

    /**
     * Captures the hours [fromMs, toMs) of an event resource, replacing their partitions atomically.
     * Idempotent per window. Heartbeats after each page. PendoTooLarge asks the workflow to split the window.
     */
    async captureEventWindow(input: EventWindowInput): Promise<EventWindowResult> {
      try {
        const result = await heartbeating((progress) =>
          captureEventWindow(input, client(input), collections, progress, sleep),
        );
        countDocuments(input, result.rows);
        return result;
      } catch (err) {
        const failure = toApplicationFailure(err);
        countError(input, failure);
        throw failure;
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
