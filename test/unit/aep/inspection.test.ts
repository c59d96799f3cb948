import axios from 'axios';
import { createAepClients, ImsTokenCache } from '../../../src/aep';
import { provisionPendo, startHarness, type Harness } from './fixtures';

describe('emulator inspection API and remaining API rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.emu.close();
  });

  it('lists resources by type and name, across sandboxes, and resets everything', async () => {
    const p = await provisionPendo(h.clients, 'insp');
    const flows = await h.inspector.resources('flows', { name: 'insp Pendo flow' });
    expect(flows).toEqual([
      expect.objectContaining({ sandbox: 'prod', type: 'flows', id: p.flowId, name: 'insp Pendo flow' }),
    ]);
    expect((await h.inspector.resources('schemas')).map((r) => r.id)).toEqual([p.schemaId]);
    expect((await h.inspector.resources(undefined, { sandbox: 'prod' })).map((r) => r.type).sort()).toEqual(
      ['dataSets', 'fieldgroups', 'flows', 'mappingSets', 'schemas', 'sourceConnections', 'targetConnections'].sort(),
    );
    const bad = await axios.get(`${h.emu.url}/_emulator/resources/widgets`, { validateStatus: () => true });
    expect(bad.status).toBe(400);

    const faults = await h.inspector.setFaults('503:times=3');
    expect(faults).toEqual([expect.objectContaining({ kind: 'status', status: 503, remaining: 3 })]);
    await expect(h.inspector.setFaults('nope')).rejects.toThrow(/unknown kind 'nope'/);

    await h.inspector.reset();
    expect(Object.values(await h.inspector.counts()).every((n) => n === 0)).toBe(true);
    expect(await h.inspector.requests()).toEqual([]);
    // Faults are cleared and tokens stay valid across a reset.
    expect(await h.clients.schemaRegistry.getTenantId()).toBe('pendoflowemu');
  });

  it('times out slow calls as a retryable network error', async () => {
    await h.inspector.setFaults('latency:ms=400:path=/stats:times=1');
    const impatient = createAepClients(h.config, { tokenCache: new ImsTokenCache(), timeoutMs: 100 });
    await impatient.tokens.getToken();
    await expect(impatient.schemaRegistry.getTenantId()).rejects.toMatchObject({
      type: 'AepNetworkError',
      retryable: true,
    });
    await h.inspector.clearFaults();
  });

  it('has no DELETE for mapping sets and requires limit and start on lists', async () => {
    const p = await provisionPendo(h.clients, 'dp');
    const token = await h.clients.tokens.getToken();
    const headers = {
      Authorization: `Bearer ${token}`,
      'x-api-key': h.config.clientId,
      'x-gw-ims-org-id': h.config.orgId,
      'x-sandbox-name': 'prod',
    };
    const base = `${h.emu.platformUrl}/data/foundation/conversion/mappingSets`;
    const del = await axios.delete(`${base}/${p.mappingId}`, { headers, validateStatus: () => true });
    expect(del.status).toBe(405);
    const list = await axios.get(base, { headers, validateStatus: () => true });
    expect(list.status).toBe(400);
    const paged = await axios.get(`${base}?limit=10&start=0&name=dp-pendo-mapping`, { headers });
    expect(paged.data).toMatchObject({
      data: [expect.objectContaining({ id: p.mappingId })],
      _page: { count: 1, limit: 10 },
    });
  });

  it('pages Flow Service lists with continuation tokens and counts', async () => {
    const { flowService } = h.clients;
    for (const n of [1, 2, 3]) await flowService.create('sourceConnections', { ...pendoSource(`page-${n}`) });
    const firstPage = await axios.get(`${h.emu.platformUrl}/data/foundation/flowservice/sourceConnections`, {
      params: { limit: 2, orderby: 'name' },
      headers: await authHeaders(h),
    });
    expect(firstPage.data.items).toHaveLength(2);
    expect(firstPage.data._links.next.href).toMatch(/^\/sourceConnections\?.*continuationToken=/);
    const all = await flowService.list('sourceConnections', {
      limit: 2,
      orderby: 'name',
      property: ['name==page-1,page-2,page-3'],
    });
    expect(all.map((s) => s.name)).toEqual(['page-1', 'page-2', 'page-3']);
    const count = await axios.get(`${h.emu.platformUrl}/data/foundation/flowservice/sourceConnections?count=true`, {
      headers: await authHeaders(h),
    });
    expect(count.data.count).toBeGreaterThanOrEqual(3);
  });
});

const pendoSource = (name: string) => ({
  name,
  providerId: '521eee4d-8cbe-4906-bb48-fb6bd4450033',
  connectionSpec: { id: '6ff5654f-19d5-427d-bd3e-c0ebc802389a', version: '1.0' },
  data: { format: 'json' },
});

async function authHeaders(h: Harness): Promise<Record<string, string>> {
  return {
    Authorization: `Bearer ${await h.clients.tokens.getToken()}`,
    'x-api-key': h.config.clientId,
    'x-gw-ims-org-id': h.config.orgId,
    'x-sandbox-name': h.config.sandbox,
  };
}
