import type { DataflowSpec, StepName, StepState } from './types';

/** Default AEP names of a dataflow; they depend only on its name, so every retry and restart looks up the same. */
export const defaultNames = (name: string) => ({
  flowName: `pendoflow ${name} Pendo dataflow`,
  accountName: `pendoflow ${name} Pendo source`,
  schemaTitle: `pendoflow ${name} Pendo events`,
  datasetName: `pendoflow-${name}-pendo-events`,
});

/** The name each step finds or creates. */
export function stepNames(spec: DataflowSpec): Record<StepName, string | null> {
  return {
    tenant: null,
    fieldGroup: `${spec.schemaTitle} fields`,
    schema: spec.schemaTitle,
    dataset: spec.datasetName,
    sourceConnection: spec.account.name,
    targetConnection: `pendoflow ${spec.name} data lake target`,
    mappingSet: `pendoflow_${spec.name}_mapping`,
    flow: spec.flowName,
    inlet: null,
  };
}

/**
 * Every description this dataflow writes ends with this marker. A name found in AEP without it belongs to
 * someone else: it is never adopted, so compensation and delete never remove what this dataflow did not create.
 */
export const ownerMarker = (workflowId: string): string => `[managed by pendoflow: ${workflowId}]`;

export function withOwner(description: string, workflowId: string): string {
  const marker = ownerMarker(workflowId);
  const text = description.replace(marker, '').trim();
  return text ? `${text} ${marker}` : marker;
}

export const isOwnedBy = (description: unknown, workflowId: string): boolean =>
  typeof description === 'string' && description.includes(ownerMarker(workflowId));

/** Flow Service / Catalog / Schema Registry collection of each deletable step. */
export type DeletableKind =
  'flows' | 'targetConnections' | 'sourceConnections' | 'dataSets' | 'schemas' | 'fieldgroups';

export const STEP_KIND: Readonly<Partial<Record<StepName, DeletableKind>>> = {
  fieldGroup: 'fieldgroups',
  schema: 'schemas',
  dataset: 'dataSets',
  sourceConnection: 'sourceConnections',
  targetConnection: 'targetConnections',
  flow: 'flows',
};

/**
 * What to tear down, dependents first: the reverse of creation (flow, mapping set, target, source, dataset,
 * schema, field group). Only steps holding an id are included; the mapping set is listed to be reported as
 * kept, since Data Prep has no DELETE.
 */
export function teardownOrder(steps: readonly StepState[]): StepState[] {
  return [...steps]
    .reverse()
    .filter((s) => s.id !== null && (STEP_KIND[s.step] !== undefined || s.step === 'mappingSet'))
    .filter((s) => s.status !== 'removed' && s.status !== 'kept');
}
