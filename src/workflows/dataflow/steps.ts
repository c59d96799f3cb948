import { ApplicationFailure } from '@temporalio/workflow';
import type { DataflowRun } from './state';
import type { DataflowSpec, DataflowState, StepState } from './types';
import { aepActs, inletActs } from './proxies';

/** Flow Service / Catalog / Schema Registry collection of each deletable step. */
export type DeletableKind =
  'flows' | 'targetConnections' | 'sourceConnections' | 'dataSets' | 'schemas' | 'fieldgroups';

/**
 * How a step is undone: `delete` its resource from that collection; `keep` it (reported as kept); or `none`,
 * when there is nothing of its own to remove.
 */
export type Compensation = { delete: DeletableKind } | 'keep' | 'none';

interface StepDefinition {
  /** The AEP name (title for Schema Registry) the step finds or creates; null when it creates nothing named. */
  name: (spec: DataflowSpec) => string | null;
  /** One activity; ids and etags go into the step's state, where later steps read them. */
  action: (run: DataflowRun, slot: StepState) => Promise<void>;
  compensation: Compensation;
  /** What else the compensation took away. */
  afterRemoval?: (state: DataflowState) => void;
}

const define = <Name extends string>(step: Name, definition: StepDefinition) => ({ step, ...definition });

/**
 * The provisioning saga, in order. Provisioning runs each action in this order; teardown walks it backwards
 * (dependents first), undoing each step that holds an id as its compensation says.
 */
export const SAGA = [
  define('tenant', {
    name: () => null,
    action: async ({ spec }, slot) => {
      slot.id = await aepActs.aepTenantId({ aep: spec.aep });
    },
    compensation: 'none',
  }),
  define('fieldGroup', {
    name: (spec) => `${spec.schemaTitle} fields`,
    action: async ({ spec, state, owner }, slot) => {
      const tenantId = idOf(state, 'tenant');
      slot.id = (await aepActs.aepEnsureFieldGroup({ aep: spec.aep, owner, name: nameOf(slot), tenantId })).id;
    },
    compensation: { delete: 'fieldgroups' },
  }),
  define('schema', {
    name: (spec) => spec.schemaTitle,
    action: async ({ spec, state, owner }, slot) => {
      const fieldGroupId = idOf(state, 'fieldGroup');
      slot.id = (await aepActs.aepEnsureSchema({ aep: spec.aep, owner, name: nameOf(slot), fieldGroupId })).id;
    },
    compensation: { delete: 'schemas' },
  }),
  define('dataset', {
    name: (spec) => spec.datasetName,
    action: async ({ spec, state, owner }, slot) => {
      const schemaId = idOf(state, 'schema');
      slot.id = (await aepActs.aepEnsureDataset({ aep: spec.aep, owner, name: nameOf(slot), schemaId })).id;
    },
    compensation: { delete: 'dataSets' },
  }),
  define('sourceConnection', {
    name: (spec) => spec.account.name,
    action: async ({ spec, state, owner }, slot) => {
      const made = await aepActs.aepEnsureSourceConnection({
        aep: spec.aep,
        owner,
        name: nameOf(slot),
        description: state.account.description,
      });
      slot.id = made.id;
      slot.etag = made.etag;
    },
    compensation: { delete: 'sourceConnections' },
  }),
  define('targetConnection', {
    name: (spec) => `pendoflow ${spec.name} data lake target`,
    action: async ({ spec, state, owner }, slot) => {
      const made = await aepActs.aepEnsureTargetConnection({
        aep: spec.aep,
        owner,
        name: nameOf(slot),
        schemaId: idOf(state, 'schema'),
        datasetId: idOf(state, 'dataset'),
      });
      slot.id = made.id;
      slot.etag = made.etag;
    },
    compensation: { delete: 'targetConnections' },
  }),
  define('mappingSet', {
    name: (spec) => `pendoflow_${spec.name}_mapping`,
    action: async ({ spec, state }, slot) => {
      const made = await aepActs.aepEnsureMappingSet({
        aep: spec.aep,
        name: nameOf(slot),
        schemaId: idOf(state, 'schema'),
        tenantId: idOf(state, 'tenant'),
        mappings: state.mappings,
      });
      slot.id = made.id;
      slot.version = made.version;
    },
    // Data Prep has no DELETE.
    compensation: 'keep',
  }),
  define('flow', {
    name: (spec) => spec.flowName,
    action: async ({ spec, state, owner }, slot) => {
      const made = await aepActs.aepEnsureFlow({
        aep: spec.aep,
        owner,
        name: nameOf(slot),
        description: state.flowDescription,
        sourceConnectionId: idOf(state, 'sourceConnection'),
        targetConnectionId: idOf(state, 'targetConnection'),
        mappingId: idOf(state, 'mappingSet'),
        mappingVersion: stepOf(state, 'mappingSet').version ?? 0,
      });
      slot.id = made.id;
      slot.etag = made.etag;
    },
    compensation: { delete: 'flows' },
    afterRemoval: (state) => {
      stepOf(state, 'inlet').status = 'removed';
      state.inletUrl = null;
    },
  }),
  define('inlet', {
    name: () => null,
    action: async ({ spec, state }, slot) => {
      slot.id = await inletActs.aepInletUrl({ aep: spec.aep, flowId: idOf(state, 'flow') });
      state.inletUrl = slot.id;
    },
    // The inlet belongs to the flow and goes with it.
    compensation: 'none',
  }),
] as const;

export type StepName = (typeof SAGA)[number]['step'];
export type SagaStep = (typeof SAGA)[number];

export const STEP_NAMES: readonly StepName[] = SAGA.map((entry) => entry.step);

export const sagaStep = (step: StepName): SagaStep => SAGA.find((entry) => entry.step === step) as SagaStep;

/** The name each step finds or creates. */
export function stepNames(spec: DataflowSpec): Record<StepName, string | null> {
  return Object.fromEntries(SAGA.map((entry) => [entry.step, entry.name(spec)])) as Record<StepName, string | null>;
}

/** The steps of a new dataflow, all pending. */
export const initialSteps = (spec: DataflowSpec): StepState[] =>
  SAGA.map((entry) => ({
    step: entry.step,
    status: 'pending',
    name: entry.name(spec),
    id: null,
    etag: null,
    version: null,
    error: null,
  }));

/**
 * What to tear down, dependents first: the saga backwards. Only steps holding an id and having something to
 * undo are included (a kept one, to be reported as kept), and none already removed or kept.
 */
export function teardownOrder(steps: readonly StepState[]): StepState[] {
  return [...steps]
    .reverse()
    .filter((slot) => slot.id !== null && sagaStep(slot.step).compensation !== 'none')
    .filter((slot) => slot.status !== 'removed' && slot.status !== 'kept');
}

export const stepOf = (state: DataflowState, step: StepName): StepState =>
  state.steps.find((slot) => slot.step === step) as StepState;

/** The id an earlier step produced; missing means a bug in step order, which must not be retried as is. */
export function idOf(state: DataflowState, step: StepName): string {
  const id = stepOf(state, step).id;
  if (id === null) throw ApplicationFailure.nonRetryable(`step ${step} has no id yet`, 'DataflowBug');
  return id;
}

const nameOf = (slot: StepState): string => slot.name as string;
