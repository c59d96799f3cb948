import type { CaptureLimits, PendoEndpoint, SinkSpec } from './types';
import type { ResourceName } from '../../resources';

export interface StepTarget {
  capture: string;
  resource: ResourceName;
  target: string;
  endpoint: PendoEndpoint;
  limits: CaptureLimits;
  sink?: SinkSpec;
}

export interface SnapshotResult {
  /** Objects in the list now. */
  objects: number;
  /** Objects new or changed since the last snapshot. */
  changed: number;
  /** Objects gone since the last snapshot; each got a tombstone. */
  deleted: number;
  /** Messages the sink accepted in this step (AEP inlet only). */
  delivered?: number;
  /** Lists read a second time because the first looked wrong (see shrinkGuard). */
  rereads: number;
  /** Sharp shrinks a second read confirmed, which then applied. */
  shrinks: number;
}

export interface SnapshotWatchInput extends StepTarget {
  /** Between two polls that found nothing changed. */
  intervalMs: number;
}

/** What a watch found: the poll that changed something, or the last of a watch that found nothing to change. */
export interface SnapshotWatchResult extends SnapshotResult {
  /** Attempts of this watch, the last included: polls, and retries of failed ones. */
  polls: number;
  /** The worker's clock at the end of the last poll: recorded in history, so the workflow may decide on it. */
  polledAtMs: number;
}

/** How far a binding's backfill had got: every hour in [startMs, cursorMs) is in its collection. */
export interface CommittedCursor {
  /** The binding's first hour when this was written. */
  startMs: number;
  /** The first hour not yet captured. */
  cursorMs: number;
}

export interface EventWindowInput extends StepTarget {
  /** Inclusive, on an hour boundary. */
  fromMs: number;
  /** Exclusive, on an hour boundary. */
  toMs: number;
  limit: number;
  /**
   * Set when this window advances the binding's cursor: once the window is written (and delivered), the activity
   * records `{startMs, cursorMs: toMs}` as the collection's committed cursor. Only a window that starts at the
   * binding's cursor has it, so the committed cursor never passes a window still in flight.
   */
  commitCursor?: { startMs: number };
}

export interface EventWindowResult {
  rows: number;
  pages: number;
  /** Hours that hold at least one document after this window was written. */
  hoursWithData: number;
  /** The worker's clock when the window was done: recorded in history, so the workflow may decide on it. */
  finishedAtMs?: number;
  /** Messages the sink accepted in this step (AEP inlet only). */
  delivered?: number;
  /** Empty pages asked for again, and hours read again because they would have shrunk sharply. */
  rereads: number;
  /** Hours that shrank sharply, confirmed by a second read, and were replaced. */
  shrinks: number;
  /** 429s this window met (and waited out); the binding slows the capture when it sees any. */
  throttled?: number;
}

export interface IncrementalStepInput extends StepTarget {
  /** The capture's start date: objects last updated before it are not read. */
  startMs: number;
}

export interface IncrementalStepResult {
  /** Versions read and stored in this step. */
  rows: number;
  pages: number;
  /** The worker's clock when the step was done: recorded in history, so the workflow may decide on it. */
  finishedAtMs?: number;
  /** Messages the sink accepted in this step (AEP inlet only). */
  delivered?: number;
}
