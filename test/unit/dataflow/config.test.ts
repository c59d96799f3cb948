import { join } from 'node:path';
import { loadDataflowFile, parseDataflowDocument } from '../../../src/config/dataflow-load';
import { ConfigError } from '../../../src/config/load';
import { DEFAULT_MAPPINGS } from '../../../src/workflows/dataflow/fields';

const MINIMAL = {
  name: 'acme',
  orgId: '0E1A1E2A3B4C5D6E7F809192@AdobeOrg',
  sandbox: 'prod',
  clientId: 'client',
  clientSecret: 'env:AEP_SECRET',
};

function problems(doc: unknown): string[] {
  try {
    parseDataflowDocument(doc, 'test.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected the document to be rejected');
}

describe('dataflow config', () => {
  it('loads the example, which targets the emulator and keeps the secret as a reference', () => {
    const spec = loadDataflowFile(join(__dirname, '..', '..', '..', 'examples', 'dataflow.yaml'));
    expect(spec).toMatchObject({
      name: 'demo',
      aep: { sandbox: 'prod', clientSecret: 'env:AEP_CLIENT_SECRET', platformUrl: 'http://127.0.0.1:4020' },
      schemaTitle: 'Pendo demo events',
      datasetName: 'pendo-demo-events',
      monitorIntervalMs: 60_000,
    });
    expect(spec.mappings).toEqual(DEFAULT_MAPPINGS);
  });

  it("defaults to Adobe's hosts, the tutorial's mappings and names derived from the dataflow name", () => {
    const spec = parseDataflowDocument(MINIMAL, 'x');
    expect(spec.aep).toMatchObject({
      imsUrl: 'https://ims-na1.adobelogin.com',
      platformUrl: 'https://platform.adobe.io',
    });
    expect(spec.mappings).toEqual(DEFAULT_MAPPINGS);
    expect(spec.monitorIntervalMs).toBe(300_000);
    expect(spec).toMatchObject({
      flowName: 'pendoflow acme Pendo dataflow',
      account: { name: 'pendoflow acme Pendo source' },
      schemaTitle: 'pendoflow acme Pendo events',
      datasetName: 'pendoflow-acme-pendo-events',
    });
    expect(parseDataflowDocument(MINIMAL, 'x')).toEqual(spec);
  });

  it('reports every problem with its path', () => {
    expect(
      problems({
        name: 'bad name',
        orgId: 'nope',
        sandbox: 'Prod',
        clientSecret: '',
        imsUrl: 'not a url',
        target: { dataset: 'a,b' },
        mappings: [{ source: 'accountId', destination: 'account' }],
        monitorInterval: 'soon',
        colour: 'blue',
      }),
    ).toEqual([
      expect.stringMatching(/^name: must start with a letter or digit/),
      expect.stringMatching(/^orgId: must be an IMS org id/),
      expect.stringMatching(/^sandbox: must be a lower-case sandbox name/),
      expect.stringMatching(/^clientId: /),
      expect.stringMatching(/^clientSecret: is required: env:NAME, file:PATH/),
      expect.stringMatching(/^imsUrl: must be a URL/),
      expect.stringMatching(/^target.dataset: must not contain a comma/),
      expect.stringMatching(/^mappings.0.destination: must be one of uniqueId, accountId/),
      expect.stringMatching(/^monitorInterval: 'soon' is not a duration/),
      expect.stringMatching(/^\(top level\): .*colour/),
    ]);
  });

  it('insists on the uniqueId mapping', () => {
    expect(problems({ ...MINIMAL, mappings: [{ source: 'accountId', destination: 'accountId' }] })).toEqual([
      expect.stringMatching(/^mappings: must map uniqueId from an attribute/),
    ]);
  });
});
