import type { ErrorInfo } from '../capture/types';
import type { DataflowMapping } from './fields';
import type { StepName } from './steps';

/**
 * How the worker reaches AEP. `clientSecret` is a reference (`env:NAME`, `file:PATH`) or, with an encrypting
 * codec, the value; only activities resolve it, and nothing the workflow reports contains it.
 */
export interface AepTarget {
  imsUrl: string;
  platformUrl: string;
  orgId: string;
  /** Lower-case, e.g. `prod`. */
  sandbox: string;
  clientId: string;
  clientSecret: string;
}

/** A validated dataflow, as the workflow receives it. Every AEP name in it is final (defaults applied). */
export interface DataflowSpec {
  name: string;
  description: string;
  aep: AepTarget;
  flowName: string;
  /** The Pendo "account" is its source connection (there is no base connection for Pendo). */
  account: { name: string; description: string };
  /** Schema Registry title of the target schema; the field group is titled `<schemaTitle> fields`. */
  schemaTitle: string;
  datasetName: string;
  mappings: DataflowMapping[];
  monitorIntervalMs: number;
}

export type StepStatus = 'pending' | 'running' | 'retrying' | 'done' | 'failed' | 'removing' | 'removed' | 'kept';

export interface StepState {
  step: StepName;
  status: StepStatus;
  /** The AEP name (title for Schema Registry) the step finds or creates; null for tenant and inlet. */
  name: string | null;
  /** Resource id (`$id` for XDM); the tenant id for `tenant`, the inlet URL for `inlet`. */
  id: string | null;
  /** Flow Service etag, quoted as returned. */
  etag: string | null;
  /** Mapping set version. */
  version: number | null;
  error: ErrorInfo | null;
}

export type DataflowPhase = 'provisioning' | 'compensating' | 'ready' | 'updating' | 'deleting' | 'deleted' | 'failed';

/** What happened to one resource during compensation or delete. */
export interface RemovedResource {
  step: StepName;
  id: string;
  name: string | null;
  /** `alreadyGone`: AEP answered 404 (counts as done). `kept`: the API has no DELETE (mapping sets). */
  outcome: 'deleted' | 'alreadyGone' | 'kept' | 'failed';
  at: string;
  error?: string;
}

export interface RunSummary {
  id: string;
  status: string;
  startedAt: string | null;
  completedAt: string | null;
  inputRecords: number;
  outputRecords: number;
  failedRecords: number;
  errors: { code: string; message: string; recordCount?: number }[];
}

export interface DataflowState {
  workflowId: string;
  name: string;
  sandbox: string;
  phase: DataflowPhase;
  steps: StepState[];
  inletUrl: string | null;
  flowName: string;
  flowDescription: string;
  account: { name: string; description: string };
  mappings: DataflowMapping[];
  lastRuns: RunSummary[];
  lastMonitoredAt: string | null;
  nextMonitorAtMs: number;
  /** Updates and account updates applied since provisioning. */
  updatesApplied: number;
  /** The last update applied; `patchAttempts` above 1 means a 412 was re-read and re-applied. */
  lastApplied: { signal: 'update' | 'updateAccount'; at: string; changed: boolean; patchAttempts: number } | null;
  lastError: (ErrorInfo & { during: string }) | null;
  /** The last signal refused by validation; the state was left unchanged. */
  lastRejected: (ErrorInfo & { signal: string }) | null;
  deleteRequested: { reason: string | null; at: string } | null;
  removed: RemovedResource[];
}

/** Workflow input; `carried` is set only by continue-as-new. */
export interface DataflowInput {
  spec: DataflowSpec;
  carried?: DataflowState;
}
