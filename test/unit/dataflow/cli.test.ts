import { assertDataflowSecretsSafe, updatesFor } from '../../../src/client/commands/dataflow/control';
import { statusText } from '../../../src/client/commands/dataflow/format';
import { parseDataflowDocument } from '../../../src/config/dataflow-load';
import { loadRuntimeConfig } from '../../../src/config/runtime';
import { DEFAULT_MAPPINGS } from '../../../src/workflows/dataflow/fields';
import { dataflowDetails } from '../../../src/workflows/dataflow/details';
import { initialState } from '../../../src/workflows/dataflow/state';

const doc = {
  name: 'acme',
  orgId: 'ORG@AdobeOrg',
  sandbox: 'prod',
  clientId: 'client',
  clientSecret: 'env:AEP_SECRET',
};
const spec = parseDataflowDocument(doc, 'test');

describe('dataflow CLI', () => {
  it('refuses an inline secret unless payloads are encrypted', () => {
    const inline = parseDataflowDocument({ ...doc, clientSecret: 'hunter2-the-secret' }, 'test');
    expect(() => assertDataflowSecretsSafe(inline, loadRuntimeConfig({}))).toThrow(/clientSecret is inline/);
    expect(() => assertDataflowSecretsSafe(spec, loadRuntimeConfig({}))).not.toThrow();
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(() => assertDataflowSecretsSafe(inline, loadRuntimeConfig({ PENDOFLOW_ENCRYPTION_KEY: key }))).not.toThrow();
  });

  it('sends only what the file changes, and names what cannot change', () => {
    const state = initialState(spec, 'aep-dataflow:prod:acme');
    expect(updatesFor(spec, state)).toEqual({ fixed: [] });
    const mappings = DEFAULT_MAPPINGS.filter((m) => m.destination !== 'guideName');
    const changed = parseDataflowDocument(
      {
        ...doc,
        description: 'v2',
        mappings,
        account: { name: 'renamed' },
        target: { dataset: 'elsewhere' },
      },
      'test',
    );
    expect(updatesFor(changed, state)).toEqual({
      update: { description: 'v2', mappings },
      updateAccount: { name: 'renamed' },
      fixed: ['target.dataset'],
    });
  });

  it('prints the phase, steps and errors, in text and in the UI details', () => {
    const state = initialState(spec, 'aep-dataflow:prod:acme');
    state.steps[0] = { ...state.steps[0]!, status: 'done', id: 'pendoflowemu' };
    state.lastRejected = { signal: 'update', type: 'InvalidSignal', message: 'mappings: must map uniqueId', at: 'now' };
    const text = statusText(state);
    expect(text).toMatch(/^acme \(sandbox prod, aep-dataflow:prod:acme\): provisioning/);
    expect(text).toMatch(/tenant\s+done\s+pendoflowemu/);
    expect(text).toContain('last rejected update: mappings: must map uniqueId');
    expect(dataflowDetails(state)).toMatch(/^tenant +done +pendoflowemu +—$/m);
    expect(JSON.stringify(state)).not.toContain('AEP_SECRET');
  });
});
