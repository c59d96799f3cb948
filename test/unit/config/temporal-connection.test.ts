import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadRuntimeConfig } from '../../../src/config/runtime';
import { describeTemporal, temporalConnectionOptions } from '../../../src/config/temporal-connection';

const API_KEY = 'tmprl-api-key-do-not-print-0123456789';
let dir: string;
let toml: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pendoflow-envconfig-'));
  for (const f of ['ca.pem', 'client.pem', 'client.key']) writeFileSync(join(dir, f), `contents of ${f}\n`);
  toml = join(dir, 'temporal.toml');
  writeFileSync(
    toml,
    [
      '[profile.default]',
      'address = "default.example:7233"',
      'namespace = "dev"',
      '',
      '[profile.staging]',
      'address = "staging.example:7233"',
      'namespace = "pendo-staging"',
      '[profile.staging.tls]',
      `client_cert_path = "${join(dir, 'client.pem')}"`,
      `client_key_path = "${join(dir, 'client.key')}"`,
      `server_ca_cert_path = "${join(dir, 'ca.pem')}"`,
      'server_name = "temporal.staging"',
      '',
      '[profile.cloud]',
      'address = "pendo.a1b2c.tmprl.cloud:7233"',
      'namespace = "pendo.a1b2c"',
      `api_key = "${API_KEY}"`,
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('issue 9 point 7: the Temporal connection comes from Temporal environment configuration', () => {
  it('issue 9 point 7: a TOML profile selected by TEMPORAL_PROFILE is honoured, with its mTLS files', () => {
    const runtime = loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'staging' });
    expect({ address: runtime.address, namespace: runtime.namespace }).toEqual({
      address: 'staging.example:7233',
      namespace: 'pendo-staging',
    });
    const options = temporalConnectionOptions(runtime.temporal);
    expect(options).toEqual({
      address: 'staging.example:7233',
      tls: {
        serverNameOverride: 'temporal.staging',
        serverRootCACertificate: Buffer.from('contents of ca.pem\n'),
        clientCertPair: { crt: Buffer.from('contents of client.pem\n'), key: Buffer.from('contents of client.key\n') },
      },
    });
    expect(describeTemporal(runtime.temporal)).toBe(
      'staging.example:7233 (namespace pendo-staging, mTLS, profile staging)',
    );
  });

  it('issue 9 point 7: without TEMPORAL_PROFILE the default profile is read, and TEMPORAL_* variables override it', () => {
    expect(loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: toml })).toMatchObject({
      address: 'default.example:7233',
      namespace: 'dev',
    });
    const runtime = loadRuntimeConfig({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'staging',
      TEMPORAL_ADDRESS: 'override.example:7233',
      TEMPORAL_TLS_SERVER_NAME: 'other.name',
    });
    expect(runtime.address).toBe('override.example:7233');
    expect(temporalConnectionOptions(runtime.temporal).tls).toMatchObject({ serverNameOverride: 'other.name' });
    // No file, no variables: the local dev server, in plain text.
    expect(temporalConnectionOptions(loadRuntimeConfig({}).temporal)).toEqual({
      address: 'localhost:7233',
      tls: undefined,
    });
  });

  it('issue 9 point 7: an API key turns TLS on, and is never shown, logged or serialised', () => {
    const fromFile = loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' });
    const fromEnv = loadRuntimeConfig({
      TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'pendo.a1b2c',
      TEMPORAL_API_KEY: API_KEY,
    });
    for (const runtime of [fromFile, fromEnv]) {
      expect(temporalConnectionOptions(runtime.temporal)).toMatchObject({ tls: true, apiKey: API_KEY });
      expect(describeTemporal(runtime.temporal)).toMatch(/TLS, API key/);
      for (const shown of [describeTemporal(runtime.temporal), JSON.stringify(runtime), inspect(runtime)])
        expect(shown).not.toContain(API_KEY);
    }
    expect(
      temporalConnectionOptions(loadRuntimeConfig({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' }).temporal).tls,
    ).toBe(false);
    // compose passes `${TEMPORAL_API_KEY:-}`: an empty key is no key, so a local server stays plain text.
    expect(temporalConnectionOptions(loadRuntimeConfig({ TEMPORAL_API_KEY: '' }).temporal).tls).toBeUndefined();
  });

  it('issue 9 point 7: a wrong setting is named: a missing profile, an unreadable file, a key without its certificate', () => {
    expect(() => loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' })).toThrow(
      `TEMPORAL_PROFILE: no profile 'prod' in ${toml}`,
    );
    // A file without profiles (empty, or /dev/null) is no profile, not a crash.
    writeFileSync(join(dir, 'empty.toml'), '');
    expect(loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: join(dir, 'empty.toml'), TEMPORAL_ADDRESS: 'x:1' })).toMatchObject(
      { address: 'x:1', namespace: 'default' },
    );
    expect(() => loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: '/dev/null', TEMPORAL_PROFILE: 'prod' })).toThrow(
      "TEMPORAL_PROFILE: no profile 'prod' in /dev/null",
    );
    writeFileSync(join(dir, 'bad.toml'), '[profile.default\naddress = 1');
    expect(() => loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: join(dir, 'bad.toml') })).toThrow(/^TEMPORAL_CONFIG_FILE: /);
    const missing = join(dir, 'nope.pem');
    const withCert = (extra: Record<string, string>) =>
      temporalConnectionOptions(loadRuntimeConfig({ TEMPORAL_ADDRESS: 'x:7233', ...extra }).temporal);
    expect(() =>
      withCert({ TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key') }),
    ).toThrow(`TEMPORAL_TLS_CLIENT_CERT_PATH (tls.client_cert_path): ${missing} cannot be read: ENOENT`);
    expect(() => withCert({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing })).toThrow(
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH (tls.server_ca_cert_path): ${missing} cannot be read: ENOENT`,
    );
    expect(() => withCert({ TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key') })).toThrow(
      /^TEMPORAL_TLS_CLIENT_CERT_PATH is not set/,
    );
    writeFileSync(join(dir, 'lost.toml'), `[profile.prod.tls]\nserver_ca_cert_path = "${missing}"\n`);
    expect(() =>
      temporalConnectionOptions(
        loadRuntimeConfig({ TEMPORAL_CONFIG_FILE: join(dir, 'lost.toml'), TEMPORAL_PROFILE: 'prod' }).temporal,
      ),
    ).toThrow(`TEMPORAL_TLS_SERVER_CA_CERT_PATH (tls.server_ca_cert_path of profile prod): ${missing} cannot be read`);
    // A key file's contents never reach a message.
    try {
      withCert({ TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key') });
    } catch (err) {
      expect(String(err)).not.toContain('contents of client.key');
    }
  });
});
