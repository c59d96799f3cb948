import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostProblem, parseAllowedHosts } from '../../../src/config/host-rules';
import { loadRuntimeConfig } from '../../../src/config/runtime';
import { parseEnvAllow, parseFileDirs, secretRefProblem, secretRules } from '../../../src/config/secret-rules';
import { resolveOperatorSecret, resolveSecret, SecretResolutionError } from '../../../src/config/secrets';
import { workerTrust } from '../../../src/config/trust';

const DEFAULTS = secretRules({});

describe('issue 8 finding 2: env: references resolve only allowed names', () => {
  const env = { PENDO_KEY: 'p', AEP_SECRET: 'a', PENDOFLOW_ENCRYPTION_KEY: 'k', TEMPORAL_ADDRESS: 't', HOME: '/h' };

  it('allows PENDO_* and AEP_* by default, and nothing else', () => {
    expect(resolveSecret('env:PENDO_KEY', DEFAULTS, env)).toBe('p');
    expect(resolveSecret('env:AEP_SECRET', DEFAULTS, env)).toBe('a');
    expect(() => resolveSecret('env:HOME', DEFAULTS, env)).toThrow(
      /environment variable HOME \(from 'env:HOME'\) is not allowed: the worker resolves only PENDO_\*, AEP_\* \(set PENDOFLOW_SECRET_ENV_ALLOW/,
    );
  });

  it("never resolves pendoflow's own settings, whatever the allow-list says", () => {
    const all = secretRules({ envAllow: '*' });
    expect(resolveSecret('env:HOME', all, env)).toBe('/h');
    for (const name of ['PENDOFLOW_ENCRYPTION_KEY', 'TEMPORAL_ADDRESS']) {
      for (const rules of [DEFAULTS, all, secretRules({ envAllow: `${name},PENDOFLOW_*` })]) {
        expect(() => resolveSecret(`env:${name}`, rules, env)).toThrow(/is not allowed: pendoflow's own settings/);
      }
    }
  });

  it('takes exact names and prefixes, and refuses anything else in the setting', () => {
    const rules = secretRules({ envAllow: 'MY_KEY, VAULT_*' });
    expect(secretRefProblem('env:MY_KEY', rules)).toBeUndefined();
    expect(secretRefProblem('env:MY_KEY2', rules)).toMatch(/not allowed/);
    expect(secretRefProblem('env:VAULT_PENDO', rules)).toBeUndefined();
    expect(secretRefProblem('env:PENDO_KEY', rules)).toMatch(/not allowed/);
    expect(() => parseEnvAllow('PENDO_*,a b')).toThrow(/'a b' is not a variable name/);
    expect(() => parseEnvAllow('*PENDO')).toThrow(/not a variable name/);
  });
});

describe('issue 8 finding 2: file: references read only under allowed folders', () => {
  let root: string;
  let allowed: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pendoflow-trust-'));
    allowed = join(root, 'secrets');
    outside = join(root, 'worker-only.txt');
    await mkdir(join(allowed, 'sub'), { recursive: true });
    await writeFile(join(allowed, 'pendo'), ' the-key \n');
    await writeFile(outside, 'worker-only');
    await symlink(outside, join(allowed, 'link'));
    await symlink(root, join(allowed, 'up'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads none by default, and says so without touching the path', () => {
    for (const ref of [`file:${outside}`, 'file:/etc/shadow']) {
      expect(() => resolveSecret(ref, DEFAULTS)).toThrow(/is not allowed: the worker reads no secret files/);
    }
  });

  it('reads a file under an allowed folder, trimmed', () => {
    expect(resolveSecret(`file:${allowed}/pendo`, secretRules({ fileDirs: allowed }))).toBe('the-key');
    expect(resolveSecret(`file:${allowed}/pendo`, secretRules({ fileDirs: `${allowed}/` }))).toBe('the-key');
  });

  it('lets neither .. nor a symlink leave the folder', () => {
    const rules = secretRules({ fileDirs: allowed });
    expect(secretRefProblem(`file:${allowed}/../worker-only.txt`, rules)).toMatch(/only under/);
    expect(secretRefProblem(`file:${allowed}-evil/x`, rules)).toMatch(/only under/);
    for (const path of [`${allowed}/link`, `${allowed}/up/worker-only.txt`]) {
      expect(secretRefProblem(`file:${path}`, rules)).toBeUndefined(); // by its spelling...
      expect(() => resolveSecret(`file:${path}`, rules)).toThrow(/is not readable or not allowed on this worker$/);
    }
  });

  it('gives one message whether the path is missing, a folder or outside through a link', () => {
    const rules = secretRules({ fileDirs: allowed });
    const messages = ['missing', 'sub', 'link'].map((name) => {
      try {
        resolveSecret(`file:${allowed}/${name}`, rules);
        return 'resolved';
      } catch (err) {
        expect(err).toBeInstanceOf(SecretResolutionError);
        return (err as Error).message.replaceAll(`${allowed}/${name}`, 'PATH');
      }
    });
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toBe("secret file PATH (from 'file:PATH') is not readable or not allowed on this worker");
    expect(messages[0]).not.toMatch(/ENOENT|EISDIR/);
  });

  it('refuses file:// URLs and relative paths clearly', () => {
    const rules = secretRules({ fileDirs: '/etc' });
    expect(secretRefProblem('file:///etc/passwd', rules)).toMatch(
      /is a URL: write file:\/absolute\/path, not file:\/\//,
    );
    expect(secretRefProblem('file:secrets/pendo', rules)).toMatch(/must be an absolute path/);
    expect(() => parseFileDirs('relative/dir')).toThrow(/'relative\/dir' is not an absolute path/);
  });

  it("still reads the operator's own codec key reference from anywhere", () => {
    expect(resolveOperatorSecret(`file:${outside}`)).toBe('worker-only');
    expect(resolveOperatorSecret('env:PENDOFLOW_K', { PENDOFLOW_K: 'x' })).toBe('x');
  });
});

describe('issue 8 finding 2: hosts', () => {
  it("allows the five Pendo region hosts and Adobe's hosts over https, each for its own service", () => {
    for (const host of ['app.pendo.io', 'us1.app.pendo.io', 'app.eu.pendo.io', 'app.jpn.pendo.io', 'app.au.pendo.io']) {
      expect(hostProblem(`https://${host}`, 'pendo', [])).toBeUndefined();
      expect(hostProblem(`http://${host}`, 'pendo', [])).toMatch(/not allowed/);
    }
    expect(hostProblem('https://ims-na1.adobelogin.com', 'ims', [])).toBeUndefined();
    expect(hostProblem('https://platform.adobe.io', 'platform', [])).toBeUndefined();
    expect(hostProblem('https://dcs.adobedc.net/collection/abc', 'inlet', [])).toBeUndefined();
    expect(hostProblem('https://platform.adobe.io', 'ims', [])).toMatch(/Adobe IMS host platform.adobe.io/);
    expect(hostProblem('https://app.pendo.io.evil.com', 'pendo', [])).toMatch(/not allowed/);
    expect(hostProblem('https://app.pendo.io@evil.com', 'pendo', [])).toMatch(/user name or password/);
    expect(hostProblem('https://app.pendo.io:8443', 'pendo', [])).toMatch(/not allowed/);
  });

  it('refuses the emulators and metadata addresses unless the worker lists them', () => {
    expect(hostProblem('http://127.0.0.1:4010', 'pendo', [])).toMatch(
      /^Pendo API host 127.0.0.1:4010 is not allowed on this worker: .*PENDOFLOW_ALLOWED_HOSTS$/,
    );
    expect(hostProblem('http://169.254.169.254/latest/meta-data', 'pendo', ['127.0.0.1'])).toMatch(
      /169.254.169.254 \(a link-local address, such as a cloud metadata service\) is not allowed/,
    );
    expect(hostProblem('http://169.254.169.254/x', 'ims', ['169.254.169.254'])).toBeUndefined();
    const allowed = parseAllowedHosts('127.0.0.1, Localhost:4010,[::1]');
    expect(hostProblem('http://127.0.0.1:4010', 'pendo', allowed)).toBeUndefined();
    expect(hostProblem('http://localhost:4010', 'platform', allowed)).toBeUndefined();
    expect(hostProblem('http://localhost:4011', 'platform', allowed)).toMatch(/not allowed/);
    expect(hostProblem('http://[::1]:9/', 'inlet', allowed)).toBeUndefined();
    expect(hostProblem('ftp://127.0.0.1/', 'pendo', allowed)).toMatch(/must be https/);
  });

  it('reads the allow-lists from the worker environment, naming a bad value', () => {
    const trust = workerTrust(
      loadRuntimeConfig({ PENDOFLOW_ALLOWED_HOSTS: '127.0.0.1', PENDOFLOW_SECRET_FILE_DIRS: '/run/secrets' }),
    );
    expect(trust).toEqual({
      secrets: { envAllow: ['PENDO_*', 'AEP_*'], fileDirs: ['/run/secrets'] },
      allowedHosts: ['127.0.0.1'],
    });
    expect(() => loadRuntimeConfig({ PENDOFLOW_ALLOWED_HOSTS: 'http://x/' })).toThrow(
      /PENDOFLOW_ALLOWED_HOSTS: 'http:\/\/x\/' is not a host or host:port/,
    );
    expect(() => loadRuntimeConfig({ PENDOFLOW_SECRET_FILE_DIRS: 'rel' })).toThrow(/PENDOFLOW_SECRET_FILE_DIRS: 'rel'/);
  });
});
