import type { Flow, MappingSet } from '../../../src/aep';
import { mappingRules, mappingSetMatches } from '../../../src/activities/dataflow/mapping';
import { flowPatchOps, renameOps } from '../../../src/activities/dataflow/patch-ops';
import { summarizeRun } from '../../../src/activities/dataflow/flow';
import { DEFAULT_MAPPINGS } from '../../../src/workflows/dataflow/fields';

const SCHEMA = 'https://ns.adobe.com/acme/schemas/1';
const rules = mappingRules({ tenantId: 'acme', mappings: [...DEFAULT_MAPPINGS] });

const flow = (over: Partial<Flow> = {}): Flow => ({
  id: 'f1',
  name: 'flow',
  description: 'd',
  etag: '"e1"',
  sourceConnectionIds: ['s'],
  targetConnectionIds: ['t'],
  transformations: [{ name: 'Mapping', params: { mappingId: 'm1', mappingVersion: 0 } }],
  ...over,
});

describe('mapping sets', () => {
  it('puts every destination under the tenant namespace', () => {
    expect(rules[0]).toEqual({ source: 'uniqueId', destination: '_acme.uniqueId', sourceType: 'ATTRIBUTE' });
    expect(rules.map((r) => r.destination)).toContain('_acme.guideName');
  });

  it('matches a stored set in either dialect, and notices a changed schema, rule or order', () => {
    const stored = (mappings: object[], schemaId = SCHEMA) =>
      ({
        id: 'm1',
        version: 0,
        mappings,
        outputSchema: { schemaRef: { id: schemaId, contentType: 'x' } },
      }) as MappingSet;
    const tutorialDialect = rules.map((r) => ({ sourceAttribute: r.source, destinationXdmPath: r.destination }));
    expect(mappingSetMatches(stored(rules), SCHEMA, rules)).toBe(true);
    expect(mappingSetMatches(stored(tutorialDialect), SCHEMA, rules)).toBe(true);
    expect(mappingSetMatches(stored(rules, `${SCHEMA}x`), SCHEMA, rules)).toBe(false);
    expect(mappingSetMatches(stored([...rules].reverse()), SCHEMA, rules)).toBe(false);
    expect(mappingSetMatches(stored(rules.slice(1)), SCHEMA, rules)).toBe(false);
    const expression = rules.map((r, i) => (i === 3 ? { ...r, sourceType: 'EXPRESSION' as const } : r));
    expect(mappingSetMatches(stored(rules), SCHEMA, expression)).toBe(false);
  });
});

describe('patch operations', () => {
  it('asks for nothing when the flow already has the desired values', () => {
    expect(flowPatchOps(flow(), { name: 'flow', description: 'd', mapping: { id: 'm1', version: 0 } })).toEqual([]);
    const stringVersion = flow({
      transformations: [{ name: 'Mapping', params: { mappingId: 'm1', mappingVersion: '0' } }],
    });
    expect(flowPatchOps(stringVersion, { mapping: { id: 'm1', version: 0 } })).toEqual([]);
  });

  it('replaces name, description and the whole Mapping transformation', () => {
    expect(flowPatchOps(flow(), { name: 'v2', description: 'new', mapping: { id: 'm1', version: 2 } })).toEqual([
      { op: 'replace', path: '/name', value: 'v2' },
      { op: 'replace', path: '/description', value: 'new' },
      {
        op: 'replace',
        path: '/transformations/0',
        value: { name: 'Mapping', params: { mappingId: 'm1', mappingVersion: 2 } },
      },
    ]);
  });

  it('adds a description the connection does not have yet', () => {
    expect(renameOps({ id: 's', name: 'src', etag: '"e"' }, { name: 'src', description: 'hello' })).toEqual([
      { op: 'add', path: '/description', value: 'hello' },
    ]);
  });
});

describe('run summaries', () => {
  it('keeps counts, times and a few errors', () => {
    expect(
      summarizeRun({
        id: 'r1',
        flowId: 'f1',
        metrics: {
          durationSummary: { startedAtUTC: 0, completedAtUTC: 60_000 },
          recordSummary: { inputRecordCount: 3, outputRecordCount: 2, failedRecordCount: 1 },
          statusSummary: { status: 'partialSuccess', errors: [{ code: 'MAPPER-3700-400', message: 'uniqueID' }] },
        },
      }),
    ).toEqual({
      id: 'r1',
      status: 'partialSuccess',
      startedAt: '1970-01-01T00:00:00.000Z',
      completedAt: '1970-01-01T00:01:00.000Z',
      inputRecords: 3,
      outputRecords: 2,
      failedRecords: 1,
      errors: [{ code: 'MAPPER-3700-400', message: 'uniqueID' }],
    });
  });
});
