import { initialSteps } from './steps';
import type { DataflowPhase, DataflowSpec, DataflowState } from './types';

/** What the provisioning, serving and teardown code share. */
export interface DataflowRun {
  readonly spec: DataflowSpec;
  readonly state: DataflowState;
  /** The workflow ID; written into every description this dataflow owns. */
  readonly owner: string;
  /** Sets the phase (and the AepPhase search attribute), then refreshes the current details. */
  setPhase(phase: DataflowPhase): void;
  refresh(): void;
}

export function initialState(spec: DataflowSpec, workflowId: string): DataflowState {
  return {
    workflowId,
    name: spec.name,
    sandbox: spec.aep.sandbox,
    phase: 'provisioning',
    steps: initialSteps(spec),
    inletUrl: null,
    flowName: spec.flowName,
    flowDescription: spec.description,
    account: { ...spec.account },
    mappings: spec.mappings,
    lastRuns: [],
    lastMonitoredAt: null,
    nextMonitorAtMs: 0,
    updatesApplied: 0,
    lastApplied: null,
    lastError: null,
    lastRejected: null,
    deleteRequested: null,
    removed: [],
  };
}
