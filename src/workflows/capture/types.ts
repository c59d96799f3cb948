import type { ResourceName } from '../../resources';

export const REGIONS = ['us', 'us1', 'eu', 'jpn', 'au'] as const;
export type Region = (typeof REGIONS)[number];

/**
 * Where and how to reach Pendo. `accessToken` is a secret reference (`env:NAME`, `file:PATH`) or, with a codec,
 * inline. The API base is `baseUrl`, else `host`, else the host of the key's region; the worker resolves it,
 * because only the worker can read the key.
 */
export interface PendoEndpoint {
  accessToken: string;
  host?: string;
  baseUrl?: string;
}

export interface CaptureLimits {
  /** Rows per request once caught up. */
  incrementalLimit: number;
  /** Rows per request during backfill. */
  backfillLimit: number;
  /** Hours per backfill window before any adaptive split. */
  windowHours: number;
  requestTimeoutMs: number;
  /**
   * The share (0 to 1) of its stored documents an hour or a snapshot may lose in one read; a read that loses more,
   * or empties it, is read again before it replaces anything. Absent: 0.5.
   */
  shrinkGuard?: number;
  /** Windows a binding reads at once while it backfills or rescans. Absent (runs from before it existed): 1. */
  backfillConcurrency?: number;
  /** The capture's request budget, shared by all its bindings on all workers. Absent: DEFAULT_REQUEST_BUDGET. */
  requestsPerSecond?: number;
  concurrentRequests?: number;
}

/** Requests a capture may send to Pendo: per second, and at once, over all its bindings and workers. */
export interface RequestBudget {
  requestsPerSecond: number;
  concurrentRequests: number;
}

/**
 * - `rescan`: hours are captured once closed and past `processingDelayMs`, then re-read every `rescanEveryMs`
 *   while inside `rescanWindowMs`; a late row replaces the earlier version of its key.
 * - `settledOnly`: each hour is emitted once, `settleDelayMs` after it closed; for append-only sinks.
 */
export interface LateDataSettings {
  mode: 'rescan' | 'settledOnly';
  processingDelayMs: number;
  rescanWindowMs: number;
  rescanEveryMs: number;
  settleDelayMs: number;
}

export interface CaptureSettings {
  /** Nothing before this instant is captured, in backfill or later. */
  startMs: number;
  intervalMs: number;
  limits: CaptureLimits;
  lateData: LateDataSettings;
}

export interface BindingSpec {
  resource: ResourceName;
  /** Collection name, `<capture>/<Resource>` by default. */
  target: string;
}

/** Where documents go besides the local collections: nowhere else, or an AEP streaming inlet. */
export type SinkSpec = { kind: 'collections' } | { kind: 'aepInlet'; inletUrl: string; flowId: string };

/** A validated capture, as the workflows receive it. Plain JSON, no secrets in clear unless a codec encrypts payloads. */
export interface CaptureSpec {
  name: string;
  endpoint: PendoEndpoint;
  settings: CaptureSettings;
  bindings: BindingSpec[];
  /** Default: the local collections only. */
  sink?: SinkSpec;
}

export type BindingState =
  | 'starting'
  | 'backfilling'
  | 'polling'
  | 'idle'
  | 'paused'
  | 'failed'
  | 'stopped'
  /** Its workflow was ended from outside (an operator, or a Temporal limit); `lastError` says why. */
  | 'terminated';

/** How a binding's workflow closed, as Temporal records it. */
export interface BindingOutcome {
  state: 'failed' | 'stopped' | 'terminated';
  error: ErrorInfo | null;
}

export interface ErrorInfo {
  type: string;
  message: string;
  at: string;
}

export interface BackfillProgress {
  fromIso: string;
  toIso: string;
  percent: number;
  windowsDone: number;
  windowsSplit: number;
  /** Windows being read now, as `fromIso/toIso`. Absent from bindings older than concurrent windows. */
  inFlight?: string[];
  /** Windows this binding may read at once now: its share of the budget, lowered for a while after 429s. */
  slots?: number;
}

export interface BindingStatus {
  capture: string;
  resource: ResourceName;
  target: string;
  state: BindingState;
  /** Events: the first hour not yet captured. Snapshots: when the last snapshot was taken. */
  cursor: string | null;
  backfill: BackfillProgress | null;
  documents: number;
  lastPollAt: string | null;
  lastError: ErrorInfo | null;
  /** How far the captured data trails now, in seconds. */
  lagSeconds: number | null;
  /** Events under settledOnly: the settle delay, the lag a caught-up binding keeps by design. */
  settleDelaySeconds?: number;
  rescans: number;
  /** Sharp shrinks (an hour or a snapshot losing most of its documents) that a second read confirmed. */
  shrinks: number;
  /** 429s this binding's windows met. */
  throttles?: number;
  /** Times a sibling binding's 429 slowed this one. */
  slowDowns?: number;
}

export type CaptureState = 'running' | 'paused' | 'stopping' | 'stopped';

export interface CaptureStatus {
  capture: string;
  state: CaptureState;
  intervalMs: number;
  lateDataMode: LateDataSettings['mode'];
  bindings: BindingStatus[];
  lastRejectedReconfigure: ErrorInfo | null;
}
