import { ApplicationFailure } from '@temporalio/workflow';
import { stepNames } from './names';
import {
  STEP_NAMES,
  type DataflowPhase,
  type DataflowSpec,
  type DataflowState,
  type StepName,
  type StepState,
} from './types';

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
  const names = stepNames(spec);
  return {
    workflowId,
    name: spec.name,
    sandbox: spec.aep.sandbox,
    phase: 'provisioning',
    steps: STEP_NAMES.map((step) => ({
      step,
      status: 'pending',
      name: names[step],
      id: null,
      etag: null,
      version: null,
      error: null,
    })),
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

export const stepOf = (state: DataflowState, step: StepName): StepState =>
  state.steps.find((s) => s.step === step) as StepState;

/** The id an earlier step produced; missing means a bug in step order, which must not be retried as is. */
export function idOf(state: DataflowState, step: StepName): string {
  const id = stepOf(state, step).id;
  if (id === null) throw ApplicationFailure.nonRetryable(`step ${step} has no id yet`, 'DataflowBug');
  return id;
}
