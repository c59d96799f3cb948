import { AepHttp, datasetBody, type AepRequest } from '../../../src/aep';
import { pendoEvent, provisionPendo, startHarness, type Harness, type Provisioned } from './fixtures';

const FS = '/data/foundation/flowservice';

/** The emulator's gaps that independent clients (aepp, Adobe's OpenAPI specs) tripped on. */
describe('AEP emulator against the shapes independent clients read', () => {
  let h: Harness;
  let http: AepHttp;
  let p: Provisioned;
  const get = async <T = Record<string, unknown>>(path: string, extra: Partial<AepRequest> = {}) =>
    (await http.send<T>({ method: 'GET', path, operation: `GET ${path}`, ...extra }, undefined, [400, 406])).data;

  beforeAll(async () => {
    h = await startHarness();
    http = new AepHttp(h.config, h.clients.tokens);
    p = await provisionPendo(h.clients, 'gaps');
    const inletUrl = await h.clients.flowService.getInletUrl(p.flowId);
    await h.clients.inlet.send(inletUrl!, p.flowId, pendoEvent('evt-gaps'));
  });
  afterAll(async () => {
    await h.emu.close();
  });

  it('issue 12: every Flow Service list response carries _links', async () => {
    const lists = [
      'flows',
      'sourceConnections',
      'targetConnections',
      'connections',
      'runs',
      'connectionSpecs',
      'flowSpecs',
    ];
    const missing: string[] = [];
    for (const kind of lists) {
      const body = await get(`${FS}/${kind}`);
      expect(Array.isArray(body.items)).toBe(true);
      if (typeof body._links !== 'object' || body._links === null) missing.push(kind);
    }
    expect(missing).toEqual([]);
    // A page with more to come still names the next one.
    const paged = await get<{ _links: { next?: { href: string } } }>(`${FS}/connectionSpecs`, { query: { limit: 1 } });
    expect(paged._links.next?.href).toMatch(/continuationToken=/);
    const last = await get<{ _links: { next?: unknown } }>(`${FS}/flows`);
    expect(last._links).toEqual({});
  });

  it('issue 12: runs carry createdBy, updatedBy, createdClient, updatedClient and sandboxId, listed and by id', async () => {
    const flow = (await get<{ items: Record<string, unknown>[] }>(`${FS}/flows/${p.flowId}`)).items[0]!;
    const listed = (
      await get<{ items: Record<string, unknown>[] }>(`${FS}/runs`, {
        query: { property: `flowId==${p.flowId}` },
      })
    ).items;
    expect(listed).toHaveLength(1);
    const byId = (await get<{ items: Record<string, unknown>[] }>(`${FS}/runs/${String(listed[0]!.id)}`)).items[0]!;
    for (const run of [listed[0]!, byId]) {
      expect(run).toMatchObject({
        createdBy: flow.createdBy,
        updatedBy: flow.createdBy,
        createdClient: flow.createdClient,
        updatedClient: flow.createdClient,
        sandboxId: flow.sandboxId,
        sandboxName: 'prod',
      });
      expect(run.createdBy).toBe(`${h.emu.clientId}@AdobeID`);
      expect(typeof run.sandboxId).toBe('string');
    }
  });

  it('issue 12: connectionSpecs give attributes.category as a string and the {key} form under uiAttributes', async () => {
    const specs = (
      await get<{ items: { name: string; attributes: Record<string, unknown> }[] }>(`${FS}/connectionSpecs`)
    ).items;
    const sources = specs.filter((s) => s.attributes.isSource === true);
    expect(sources.length).toBeGreaterThan(0);
    for (const spec of sources) {
      expect(typeof spec.attributes.category).toBe('string');
      expect(spec.attributes.uiAttributes).toMatchObject({ category: { key: expect.any(String) } });
    }
    const pendo = specs.find((s) => s.name === 'pendo-webhook')!;
    expect(pendo.attributes).toMatchObject({ category: 'Analytics', uiAttributes: { category: { key: 'analytics' } } });
  });

  it('issue 12: the Schema Registry accepts the xdm spelling of every Accept form it accepts as xed', async () => {
    const path = `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(p.schemaId)}`;
    const status = async (accept: string) =>
      (
        await http.send(
          { method: 'GET', path, headers: { Accept: accept }, operation: 'GET schema' },
          undefined,
          [400, 406],
        )
      ).status;
    const forms = ['xed-full+json; version=1', 'xed+json; version=1', 'xed-full-notext+json; version=1'];
    const refused: string[] = [];
    for (const form of forms) {
      expect(await status(`application/vnd.adobe.${form}`)).toBe(200);
      const xdm = `application/vnd.adobe.${form.replace(/^xed/, 'xdm')}`;
      if ((await status(xdm)) !== 200) refused.push(xdm);
    }
    expect(refused).toEqual([]);
    const full = await get<Record<string, unknown>>(path, {
      headers: { Accept: 'application/vnd.adobe.xdm-full+json; version=1' },
    });
    expect(full.$id).toBe(p.schemaId);
    const list = await get<{ results: unknown[] }>('/data/foundation/schemaregistry/tenant/schemas', {
      headers: { Accept: 'application/vnd.adobe.xdm-id+json' },
    });
    expect(list.results.length).toBeGreaterThan(0);
    // Still refused: neither spelling.
    expect(await status('application/vnd.adobe.xyz-full+json; version=1')).toBe(400);
  });

  it('issue 12: datasets carry classification and keep the tags pendoflow sends', async () => {
    const byId = await get<Record<string, Record<string, unknown>>>(`/data/foundation/catalog/dataSets/${p.datasetId}`);
    expect(byId[p.datasetId]).toMatchObject({
      classification: { dataBehavior: 'time-series', managedBy: 'CUSTOMER' },
      tags: expect.any(Object),
    });
    const listed = await get<Record<string, Record<string, unknown>>>('/data/foundation/catalog/dataSets');
    expect(
      Object.values(listed).every((ds) => typeof ds.classification === 'object' && ds.classification !== null),
    ).toBe(true);

    const body = datasetBody({ name: 'gaps-tagged', schemaId: p.schemaId, owner: 'aep-dataflow:prod:gaps' });
    expect(body.tags).toEqual({ 'pendoflow/source': ['pendo'], 'pendoflow/owner': ['aep-dataflow:prod:gaps'] });
    const id = await h.clients.catalog.createDataset(body);
    expect((await h.clients.catalog.getDataset(id)).tags).toEqual(body.tags);
    const badTags = await http.send(
      {
        method: 'POST',
        path: '/data/foundation/catalog/dataSets',
        body: { ...body, name: 'gaps-bad-tags', tags: { 'pendoflow/source': 'pendo' } },
        operation: 'POST dataSets',
      },
      undefined,
      [400],
    );
    expect(badTags.status).toBe(400);
  });
});
