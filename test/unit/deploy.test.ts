import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { hostProblem, parseAllowedHosts } from '../../src/config/host-rules';
import { RUNTIME_ENV } from '../../src/config/runtime';
import { TEMPORAL_ENV } from '../../src/config/temporal-connection';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/common/search-attributes';

const ROOT = join(__dirname, '..', '..');
interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
  ports?: string[];
  expose?: string[];
  profiles?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const svc = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const runtimeNames = new Set<string>([...Object.values(RUNTIME_ENV), ...TEMPORAL_ENV]);
const argAfter = (cmd: Service['command'], flag: string) =>
  Array.isArray(cmd) ? cmd[cmd.indexOf(flag) + 1] : undefined;

describe('docker-compose.yml agrees with the code', () => {
  it('has Temporal on PostgreSQL, the UI, the codec server, workers and an emulators profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'aep-emulator',
        'codec-server',
        'pendo-emulator',
        'postgresql',
        'temporal',
        'temporal-search-attributes',
        'temporal-ui',
        'worker',
        'worker-cloud',
      ].sort(),
    );
    expect(svc('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(svc('pendo-emulator').profiles).toEqual(['emulators']);
    expect(svc('aep-emulator').profiles).toEqual(['emulators']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['collections', 'postgres-data']);
  });

  it('pins every image and builds pendoflow from the Dockerfile', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(`${name}: ${s.image}`).toMatch(/:[^:]*[0-9a-z]$/);
      expect(s.image).not.toMatch(/:latest$/);
      if (s.image === 'pendoflow:local') expect(s.build).toBe('.');
    }
    expect(dockerfile).toMatch(/^FROM node:20/m);
  });

  it('sets only environment variables the worker reads, and every one it needs', () => {
    const env = { ...svc('worker').environment, ...svc('worker-cloud').environment };
    const examples = ['examples/demo-capture.yaml', 'examples/estuary-capture.yaml', 'examples/compose-capture.yaml']
      .map((f) => readFileSync(join(ROOT, f), 'utf8'))
      .join('\n');
    for (const name of Object.keys(env)) {
      expect(runtimeNames.has(name) || examples.includes(`env:${name}`) ? name : `${name} is read by nothing`).toBe(
        name,
      );
    }
    const dockerEnv = [...dockerfile.matchAll(/(PENDOFLOW_[A-Z_]+)=/g)].map((m) => m[1] as string);
    for (const name of dockerEnv) expect(runtimeNames.has(name)).toBe(true);
    const set = new Set([...Object.keys(env), ...dockerEnv]);
    for (const name of [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'PENDOFLOW_TASK_QUEUE',
      'PENDOFLOW_DATA_DIR',
      'PENDOFLOW_WORKFLOW_BUNDLE',
    ]) {
      expect(set.has(name) ? name : `${name} missing`).toBe(name);
    }
  });

  it('issue 9 point 7: the worker reads the Temporal connection variables that @temporalio/envconfig reads', () => {
    const source = readFileSync(require.resolve('@temporalio/envconfig/lib/envconfig-toml.js'), 'utf8');
    const read = new Set([...source.matchAll(/envProvider\['(TEMPORAL_[A-Z_]+)'\]/g)].map((m) => m[1]));
    // Read by envconfig 1.24 but not passed on to a connection (the codec settings are for the `temporal` CLI).
    for (const unused of ['TEMPORAL_CODEC_ENDPOINT', 'TEMPORAL_CODEC_AUTH', 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION'])
      expect(read.delete(unused)).toBe(true);
    expect([...TEMPORAL_ENV].sort()).toEqual([...read].sort());
  });

  it('issue 9 point 7: a cloud profile runs workers on Temporal Cloud with an API key, TLS on, nothing local', () => {
    const cloud = svc('worker-cloud');
    expect(cloud.profiles).toEqual(['cloud']);
    expect(cloud.depends_on).toBeUndefined();
    expect(cloud.command).toEqual(svc('worker').command);
    expect(cloud.environment).toMatchObject({
      TEMPORAL_ADDRESS: '${TEMPORAL_ADDRESS:-}',
      TEMPORAL_NAMESPACE: '${TEMPORAL_NAMESPACE:-}',
      TEMPORAL_API_KEY: '${TEMPORAL_API_KEY:-}',
      TEMPORAL_TLS: 'true',
      PENDOFLOW_TASK_QUEUE: svc('worker').environment?.PENDOFLOW_TASK_QUEUE,
    });
    expect(cloud.healthcheck).toEqual(svc('worker').healthcheck);
    const header = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(header).toMatch(/TEMPORAL_ADDRESS=<ns>\.<acct>\.tmprl\.cloud:7233/);
    expect(header).toMatch(/TEMPORAL_API_KEY=<key>/);
  });

  it('wires the ports: metrics, codec server, UI and emulators', () => {
    const worker = svc('worker');
    const metrics = worker.environment?.PENDOFLOW_METRICS_PORT;
    expect(worker.expose).toEqual([metrics]);
    expect(worker.ports).toBeUndefined(); // so --scale worker=N never clashes on a host port
    expect(JSON.stringify(worker.healthcheck?.test)).toContain(`:${metrics}/metrics`);
    const codecPort = argAfter(svc('codec-server').command, '--port');
    expect(svc('codec-server').ports).toEqual([`${codecPort}:${codecPort}`]);
    expect(svc('temporal-ui').environment?.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${codecPort}`);
    const uiPort = svc('temporal-ui').ports?.[0]?.split(':')[0];
    expect(argAfter(svc('codec-server').command, '--cors-origin')).toBe(`http://localhost:${uiPort}`);
    for (const name of ['pendo-emulator', 'aep-emulator']) {
      const port = argAfter(svc(name).command, '--port');
      expect(svc(name).ports).toEqual([`${port}:${port}`]);
      expect(argAfter(svc(name).command, '--host')).toBe('0.0.0.0');
    }
  });

  it('gives the emulator the key the worker uses by default', () => {
    const key = argAfter(svc('pendo-emulator').command, '--key');
    expect(svc('worker').environment?.PENDO_INTEGRATION_KEY).toBe(`\${PENDO_INTEGRATION_KEY:-${key}}`);
    expect(readFileSync(join(ROOT, 'examples', 'compose-capture.yaml'), 'utf8')).toContain(
      'baseUrl: http://pendo-emulator:4010',
    );
  });

  it('lets the worker reach the emulator services only through PENDOFLOW_ALLOWED_HOSTS, which .env can empty', () => {
    const setting = svc('worker').environment?.PENDOFLOW_ALLOWED_HOSTS ?? '';
    const fallback = /^\$\{PENDOFLOW_ALLOWED_HOSTS-([^}]*)\}$/.exec(setting)?.[1];
    expect(fallback).toBeDefined();
    const allowed = parseAllowedHosts(fallback);
    for (const [name, service] of [
      ['pendo-emulator', 'pendo'],
      ['aep-emulator', 'platform'],
    ] as const) {
      const url = `http://${name}:${argAfter(svc(name).command, '--port')}`;
      expect(hostProblem(url, service, allowed)).toBeUndefined();
      expect(hostProblem(url, service, [])).toMatch(/not allowed/);
    }
    expect(hostProblem('http://pendo-emulator:4011', 'pendo', allowed)).toMatch(/not allowed/);
  });

  it('registers the search attributes the workflows use', () => {
    const script = String(svc('temporal-search-attributes').command);
    const listed = /for sa in ([A-Za-z ]+); do/.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
    expect(listed.sort()).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name).sort());
  });

  it('mounts a dynamic config file that exists', () => {
    const mount = svc('temporal').volumes?.[0]?.split(':')[0] ?? '';
    const file = svc('temporal').environment?.DYNAMIC_CONFIG_FILE_PATH?.split('/').pop() ?? '';
    expect(existsSync(join(ROOT, mount, file))).toBe(true);
  });
});
