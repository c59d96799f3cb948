import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { validateCommand } from '../../../src/client/commands/capture/validate';
import { dataflowValidateCommand, pipelineValidateCommand } from '../../../src/client/commands/common/config-validate';
import { DEFAULT_TRUST } from '../../../src/config/trust';

let dir: string;
let listener: Server;
let listenerUrl: string;
let received = 0;
let output: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendoflow-validate-'));
  listener = createServer((_req, res) => {
    received += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.2', resolve));
  listenerUrl = `http://127.0.0.2:${(listener.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => listener.close(r));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  output = [];
  const keep = (...args: unknown[]) => void output.push(args.map(String).join(' '));
  jest.spyOn(console, 'log').mockImplementation(keep);
  jest.spyOn(console, 'error').mockImplementation(keep);
});
afterEach(() => jest.restoreAllMocks());

async function file(name: string, doc: object): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, stringify(doc));
  return path;
}

const capture = (endpoint: object) => ({ name: 'attack', endpoint, bindings: [{ resource: 'Page' }] });
const dataflow = (over: object) => ({
  name: 'attack',
  orgId: 'ORG@AdobeOrg',
  sandbox: 'prod',
  clientId: 'c',
  clientSecret: 'env:AEP_CLIENT_SECRET',
  ...over,
});

describe('issue 8 finding 2: validate refuses what a worker would refuse', () => {
  it.each([
    [
      'file:/etc/shadow',
      { credentials: { access_token: 'file:/etc/shadow' } },
      /access_token: secret file \/etc\/shadow .*is not allowed: the worker reads no secret files/,
    ],
    [
      'file:///etc/passwd',
      { credentials: { access_token: 'file:///etc/passwd' } },
      /is a URL: write file:\/absolute\/path, not file:\/\//,
    ],
    [
      'env:PENDOFLOW_ENCRYPTION_KEY',
      { credentials: { access_token: 'env:PENDOFLOW_ENCRYPTION_KEY' } },
      /pendoflow's own settings/,
    ],
    [
      'baseUrl http://169.254.169.254/…',
      { credentials: { access_token: 'env:PENDO_KEY' }, baseUrl: 'http://169.254.169.254/latest/meta-data' },
      /baseUrl: Pendo API host 169.254.169.254 \(a link-local address, such as a cloud metadata service\) is not allowed/,
    ],
  ])('capture validate refuses %s', async (name, endpoint, message) => {
    const code = await validateCommand(
      await file(`capture-${name.length}`, capture(endpoint)),
      { check: false, json: false },
      DEFAULT_TRUST,
    );
    expect(code).toBe(1);
    expect(output.join('\n')).toMatch(message);
    expect(output.join('\n')).toMatch(/checked with the PENDOFLOW_SECRET_ENV_ALLOW.*of this shell/);
  });

  it('capture validate --check sends the key nowhere the worker would not', async () => {
    const path = await file('check', capture({ credentials: { access_token: 'a-key.us' }, baseUrl: listenerUrl }));
    expect(await validateCommand(path, { check: true, json: true }, DEFAULT_TRUST)).toBe(1);
    expect(received).toBe(0);
    expect(JSON.parse(output.join('\n'))).toMatchObject({ ok: false, problems: [{ path: 'attack: baseUrl' }] });
  });

  it('accepts the same files where the worker allows them', async () => {
    const trust = { secrets: { envAllow: ['PENDO_*'], fileDirs: ['/etc'] }, allowedHosts: ['169.254.169.254'] };
    const endpoint = { credentials: { access_token: 'file:/etc/shadow' }, baseUrl: 'http://169.254.169.254/' };
    expect(await validateCommand(await file('ok', capture(endpoint)), { check: false, json: false }, trust)).toBe(0);
  });

  it('dataflow validate refuses a secret of the worker, and IMS or platform URLs off Adobe', async () => {
    const bad = await file(
      'dataflow',
      dataflow({
        clientSecret: 'env:PENDOFLOW_ENCRYPTION_KEY',
        imsUrl: 'http://169.254.169.254',
        platformUrl: 'https://evil.example',
      }),
    );
    expect(dataflowValidateCommand(bad, { json: true }, DEFAULT_TRUST)).toBe(1);
    const { problems } = JSON.parse(output.join('\n')) as { problems: { path: string }[] };
    expect(problems.map((p) => p.path)).toEqual(['clientSecret', 'imsUrl', 'platformUrl']);
    output.length = 0;
    expect(dataflowValidateCommand(await file('dataflow-ok', dataflow({})), { json: false }, DEFAULT_TRUST)).toBe(0);
  });

  it('pipeline validate refuses both parts', async () => {
    const doc = {
      name: 'attack',
      dataflow: dataflow({ clientSecret: 'file:/etc/shadow' }),
      capture: { endpoint: { credentials: { access_token: 'env:TEMPORAL_ADDRESS' }, baseUrl: listenerUrl } },
    };
    expect(pipelineValidateCommand(await file('pipeline', doc), { json: true }, DEFAULT_TRUST)).toBe(1);
    const { problems } = JSON.parse(output.join('\n')) as { problems: { path: string }[] };
    expect(problems.map((p) => p.path)).toEqual([
      'dataflow.clientSecret',
      'capture.endpoint.credentials.access_token',
      'capture.endpoint.baseUrl',
    ]);
  });
});
