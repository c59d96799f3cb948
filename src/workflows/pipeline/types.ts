import type { CaptureSpec, ErrorInfo } from '../capture/types';
import type { DataflowSpec, RunSummary } from '../dataflow/types';

/** A pipeline: an AEP dataflow, and a capture whose sink is that dataflow's inlet. */
export interface PipelineSpec {
  name: string;
  dataflow: DataflowSpec;
  /** The capture; its sink is set once the inlet is known. */
  capture: CaptureSpec;
  /** How often the pipeline reads the state of its dataflow and capture. */
  monitorIntervalMs: number;
}

export type PipelinePhase = 'provisioning' | 'streaming' | 'stopping' | 'stopped' | 'deleting' | 'deleted' | 'failed';

export interface DataflowSummary {
  workflowId: string;
  phase: string;
  closed: boolean;
  inletUrl: string | null;
  flowId: string | null;
  lastRuns: RunSummary[];
  /** `during: 'monitoring'` while the dataflow cannot read its runs from AEP. */
  lastError: (ErrorInfo & { during?: string }) | null;
}

export interface CaptureSummary {
  workflowId: string;
  state: string;
  closed: boolean;
  bindings: {
    resource: string;
    state: string;
    documents: number;
    lagSeconds: number | null;
    lastError: ErrorInfo | null;
  }[];
}

/** Where the pipeline's messages stand on the worker: accepted by the inlet, refused one by one, or waiting. */
export interface DeliverySummary {
  /** Messages the inlet accepted. */
  delivered: number;
  /** Messages the inlet refused one by one, kept to replay (`pendoflow pipeline replay-dead-letters`). */
  deadLettered: number;
  /** Captured messages neither accepted nor dead-lettered yet. */
  pending: number;
  /** The latest refusal of a dead letter, when there is one. */
  lastRefusal: { uniqueId: string; resource: string; message: string; at: string } | null;
}

/** What a replay of dead letters did. */
export interface ReplaySummary {
  replayed: number;
  accepted: number;
  /** Refused again, and kept. */
  refused: number;
}

export interface PipelineState {
  name: string;
  phase: PipelinePhase;
  dataflow: DataflowSummary | null;
  capture: CaptureSummary | null;
  /** Null until the capture first delivers (and in states carried from before it was kept). */
  delivery?: DeliverySummary | null;
  lastError: ErrorInfo | null;
  updatedAt: string;
}
