import { parseDataflowDocument } from '../../../src/config/dataflow-load';
import { isOwnedBy, withOwner } from '../../../src/workflows/dataflow/names';
import { dataflowWorkflowId } from '../../../src/workflows/dataflow/ids';
import { SAGA, STEP_NAMES, stepNames, teardownOrder } from '../../../src/workflows/dataflow/steps';
import type { StepState } from '../../../src/workflows/dataflow/types';

const spec = (name: string) =>
  parseDataflowDocument(
    { name, orgId: 'ORG@AdobeOrg', sandbox: 'dev', clientId: 'c', clientSecret: 'env:S', description: 'x' },
    'test',
  );

const steps = (withIds: readonly string[]): StepState[] =>
  STEP_NAMES.map((step) => ({
    step,
    status: withIds.includes(step) ? 'done' : 'pending',
    name: null,
    id: withIds.includes(step) ? `${step}-id` : null,
    etag: null,
    version: null,
    error: null,
  }));

describe('deterministic naming', () => {
  it('derives the workflow ID and every AEP name from sandbox and dataflow name only', () => {
    expect(dataflowWorkflowId('dev', 'acme')).toBe('aep-dataflow:dev:acme');
    expect(stepNames(spec('acme'))).toEqual(stepNames({ ...spec('acme'), description: 'other', monitorIntervalMs: 1 }));
    expect(stepNames(spec('acme'))).toEqual({
      tenant: null,
      fieldGroup: 'pendoflow acme Pendo events fields',
      schema: 'pendoflow acme Pendo events',
      dataset: 'pendoflow-acme-pendo-events',
      sourceConnection: 'pendoflow acme Pendo source',
      targetConnection: 'pendoflow acme data lake target',
      mappingSet: 'pendoflow_acme_mapping',
      flow: 'pendoflow acme Pendo dataflow',
      inlet: null,
    });
    const names = Object.values(stepNames(spec('acme'))).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
    expect(stepNames(spec('other')).flow).not.toBe(stepNames(spec('acme')).flow);
  });

  it('marks descriptions with the owner, once, and recognises only that owner', () => {
    const id = 'aep-dataflow:prod:a';
    const d = withOwner('Pendo events.', id);
    expect(d).toBe('Pendo events. [managed by pendoflow: aep-dataflow:prod:a]');
    expect(withOwner(d, id)).toBe(d);
    expect(withOwner('', id)).toBe('[managed by pendoflow: aep-dataflow:prod:a]');
    expect(isOwnedBy(d, id)).toBe(true);
    expect(isOwnedBy(d, 'aep-dataflow:prod:ab')).toBe(false);
    expect(isOwnedBy(withOwner('x', 'aep-dataflow:prod:ab'), id)).toBe(false);
    expect(isOwnedBy(undefined, id)).toBe(false);
  });
});

describe('teardown order', () => {
  it('removes dependents first: flow, (mapping set kept), target, source, dataset, schema, field group', () => {
    expect(teardownOrder(steps(STEP_NAMES)).map((s) => s.step)).toEqual([
      'flow',
      'mappingSet',
      'targetConnection',
      'sourceConnection',
      'dataset',
      'schema',
      'fieldGroup',
    ]);
  });

  it('covers only what was created, and nothing already removed', () => {
    const partial = steps(['tenant', 'fieldGroup', 'schema', 'dataset']);
    expect(teardownOrder(partial).map((s) => s.step)).toEqual(['dataset', 'schema', 'fieldGroup']);
    partial[3] = { ...(partial[3] as StepState), status: 'removed' };
    expect(teardownOrder(partial).map((s) => s.step)).toEqual(['schema', 'fieldGroup']);
    expect(teardownOrder(steps([]))).toEqual([]);
  });
});

describe('issue 10: the saga is one table', () => {
  it('gives each step, in provisioning order, its compensation', () => {
    expect(SAGA.map(({ step, compensation }) => [step, compensation])).toEqual([
      ['tenant', 'none'],
      ['fieldGroup', { delete: 'fieldgroups' }],
      ['schema', { delete: 'schemas' }],
      ['dataset', { delete: 'dataSets' }],
      ['sourceConnection', { delete: 'sourceConnections' }],
      ['targetConnection', { delete: 'targetConnections' }],
      ['mappingSet', 'keep'],
      ['flow', { delete: 'flows' }],
      ['inlet', 'none'],
    ]);
  });
});
