import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios, { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { AepHttp, createAepClients, ImsTokenCache, type AepClients, type Flow } from '../../../src/aep';
import { flowPatchOps, renameOps } from '../../../src/activities/dataflow/patch-ops';
import { pendoEvent, provisionPendo, startHarness, type Harness } from './fixtures';
import { missingPaths, typeProblems, type Shape } from './shape-check';

interface Operation {
  operation: string;
  method: string;
  path: string;
  status?: number;
  requestHeaders?: Record<string, { required: boolean; enum?: string[] }>;
  requestBody?: Shape;
  requestForm?: string[];
  responseBody?: Shape;
  require?: string[];
  requireRequest?: string[];
  requireHeaders?: string[];
  accept?: string[];
}

interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
}

const SHAPES = JSON.parse(readFileSync(join(__dirname, '../../../docs/aep-shapes.json'), 'utf8')) as {
  operations: Operation[];
};
/** Headers the gateway itself needs, named by every OpenAPI spec but not required by the IMS or the inlet. */
const GATEWAY_HEADERS = ['authorization', 'x-api-key', 'x-gw-ims-org-id', 'x-sandbox-name'];

function pattern(op: Operation): RegExp {
  const escaped = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{id\\?\}/g, '[^/]+');
  return new RegExp(`${escaped.replace(/\{id\}/g, '[^/]+')}$`);
}

function operationOf(ex: Exchange): Operation | undefined {
  return SHAPES.operations.find((op) => op.method === ex.method && pattern(op).test(ex.url.pathname));
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** An axios instance that remembers every request it sends and the answer it got. */
function recordingAxios(exchanges: Exchange[]): AxiosInstance {
  const instance = axios.create({ maxRedirects: 0 });
  const sent = new Map<InternalAxiosRequestConfig, Omit<Exchange, 'status' | 'response'>>();
  instance.interceptors.request.use((config) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers.toJSON())) headers[name.toLowerCase()] = String(value);
    const base = config.baseURL ? `${config.baseURL.replace(/\/+$/, '')}/` : undefined;
    sent.set(config, {
      method: (config.method ?? 'get').toUpperCase(),
      url: new URL(config.url ?? '', base),
      headers,
      body: parse(config.data),
    });
    return config;
  });
  instance.interceptors.response.use((res) => {
    const req = sent.get(res.config);
    if (req) exchanges.push({ ...req, status: res.status, response: parse(res.data) });
    return res;
  });
  return instance;
}

/** What is wrong with one exchange, judged by the published shape of its operation. */
function problems(op: Operation, ex: Exchange): string[] {
  const out: string[] = [];
  const gateway = op.operation.startsWith('IMS') || op.operation.startsWith('Streaming') ? [] : GATEWAY_HEADERS;
  for (const name of gateway) if (!ex.headers[name]) out.push(`request header ${name} missing`);
  for (const [name, rule] of Object.entries(op.requestHeaders ?? {})) {
    const value = ex.headers[name.toLowerCase()];
    const needsBody = name.toLowerCase() === 'content-type' && ex.body === undefined;
    if (rule.required && value === undefined && !needsBody && name.toLowerCase() !== 'x-sandbox-name') {
      out.push(`request header ${name} missing`);
    }
    if (value !== undefined && rule.enum && !rule.enum.some((allowed) => value.startsWith(allowed))) {
      out.push(`request header ${name}: ${value} is not one of ${rule.enum.join(', ')}`);
    }
  }
  for (const name of op.requireHeaders ?? []) if (!ex.headers[name]) out.push(`request header ${name} missing`);
  if (op.requestBody) out.push(...typeProblems(op.requestBody, ex.body, 'request').map((p) => `request ${p}`));
  out.push(...missingPaths(op.requireRequest ?? [], ex.body).map((p) => `request ${p}`));
  if (op.requestForm) {
    const form = new URLSearchParams(typeof ex.body === 'string' ? ex.body : '');
    for (const name of op.requestForm) if (!form.get(name)) out.push(`request form field ${name} missing`);
  }
  if (op.status !== undefined && ex.status !== op.status) out.push(`status ${ex.status}, documented ${op.status}`);
  if (op.responseBody) out.push(...typeProblems(op.responseBody, ex.response, 'response').map((p) => `response ${p}`));
  out.push(...missingPaths(op.require ?? [], ex.response).map((p) => `response ${p}`));
  return out;
}

describe('issue 12: AEP contract, pinned to the shapes Adobe publishes (docs/aep-shapes.json)', () => {
  let h: Harness;
  let clients: AepClients;
  const exchanges: Exchange[] = [];

  /** The calls pendoflow's dataflow activities and inlet sink make, in their order, through recording clients. */
  beforeAll(async () => {
    h = await startHarness({}, 'contract');
    const recorder = recordingAxios(exchanges);
    clients = createAepClients(h.config, { tokenCache: new ImsTokenCache(), timeoutMs: 5_000, axios: recorder });
    const { schemaRegistry, catalog, dataPrep, flowService, inlet } = clients;
    expect(await schemaRegistry.findByTitle('fieldgroups', 'contract Pendo fields')).toBeUndefined();
    expect(await schemaRegistry.findByTitle('schemas', 'contract Pendo events')).toBeUndefined();
    expect(await catalog.findDatasetByName('contract-pendo-events')).toBeUndefined();
    expect(await dataPrep.findMappingSetByName('contract-pendo-mapping')).toBeUndefined();
    for (const kind of ['sourceConnections', 'targetConnections', 'flows'] as const) {
      expect(await flowService.findByName(kind, `contract ${kind}`)).toBeUndefined();
    }
    const p = await provisionPendo(clients, 'contract');
    await schemaRegistry.get('fieldgroups', p.fieldGroupId);
    await schemaRegistry.get('schemas', p.schemaId);
    expect(await schemaRegistry.findByTitle('schemas', 'contract Pendo events')).toBeDefined();
    expect((await catalog.findDatasetByName('contract-pendo-events'))?.id).toBe(p.datasetId);
    await catalog.getDataset(p.datasetId);
    const mapping = await dataPrep.getMappingSet(p.mappingId);
    const next = await dataPrep.updateMappingSet(p.mappingId, {
      outputSchema: mapping.outputSchema,
      mappings: mapping.mappings,
      name: mapping.name,
    } as never);
    await flowService.update<Flow>('flows', p.flowId, (cur) =>
      flowPatchOps(cur, { name: 'contract flow v2', mapping: { id: p.mappingId, version: next.version } }),
    );
    await flowService.update('sourceConnections', p.sourceConnectionId, (cur) =>
      renameOps(cur, { description: 'renamed by the contract test' }),
    );
    const inletUrl = await flowService.getInletUrl(p.flowId);
    expect(inletUrl).toBeDefined();
    await inlet.sendBatch(inletUrl as string, p.flowId, [pendoEvent('evt-contract-1'), pendoEvent('evt-contract-2')]);
    const [run] = await flowService.listRuns(p.flowId, { limit: 5 });
    expect(run).toBeDefined();
    await flowService.getRun(run!.id);
    // Not called by pendoflow: independent clients read it, and issue 12 found its category wrong.
    await new AepHttp(h.config, clients.tokens, { axios: recorder }).send({
      method: 'GET',
      path: '/data/foundation/flowservice/connectionSpecs',
      operation: 'Flow Service GET /connectionSpecs',
    });
    for (const kind of ['flows', 'sourceConnections', 'targetConnections'] as const) {
      const id = { flows: p.flowId, sourceConnections: p.sourceConnectionId, targetConnections: p.targetConnectionId };
      expect(await flowService.delete(kind, id[kind])).toBe(true);
    }
    expect(await catalog.deleteDataset(p.datasetId)).toBe(true);
    expect(await schemaRegistry.delete('schemas', p.schemaId)).toBe(true);
    expect(await schemaRegistry.delete('fieldgroups', p.fieldGroupId)).toBe(true);
  });
  afterAll(async () => {
    await h.emu.close();
  });

  it('every operation in the shape file was exercised, and every call made has a shape', () => {
    const unknown = exchanges.filter((ex) => !operationOf(ex)).map((ex) => `${ex.method} ${ex.url.pathname}`);
    expect(unknown).toEqual([]);
    const seen = new Set(exchanges.map((ex) => operationOf(ex)?.operation));
    expect(SHAPES.operations.map((op) => op.operation).filter((name) => !seen.has(name))).toEqual([]);
  });

  it.each(SHAPES.operations.map((op) => [op.operation, op] as const))(
    '%s: the client request and the emulator response fit the published shape',
    (_name, op) => {
      const mine = exchanges.filter((ex) => operationOf(ex) === op);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.flatMap((ex) => problems(op, ex).map((p) => `${ex.method} ${ex.url.pathname}: ${p}`))).toEqual([]);
    },
  );

  it.each(SHAPES.operations.filter((op) => op.accept).map((op) => [op.operation, op] as const))(
    '%s answers every documented Accept form',
    async (_name, op) => {
      const p = await provisionPendo(h.clients, `accept${op.path.includes('schemas') ? 's' : 'f'}`);
      const id = op.path.includes('schemas') ? p.schemaId : p.fieldGroupId;
      const http = new AepHttp(h.config, h.clients.tokens);
      const path = op.path.replace('{id}', encodeURIComponent(id));
      for (const accept of op.accept ?? []) {
        const res = await http.send(
          { method: 'GET', path, headers: { Accept: accept }, operation: op.operation },
          undefined,
          [400, 406],
        );
        expect({ accept, status: res.status }).toEqual({ accept, status: 200 });
        expect(typeProblems(op.responseBody ?? {}, res.data)).toEqual([]);
      }
    },
  );
});
