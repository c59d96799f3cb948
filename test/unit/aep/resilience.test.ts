import axios from 'axios';
import { AepError, createAepClients, ImsTokenCache, type Flow } from '../../../src/aep';
import { pendoEvent, provisionPendo, startHarness, type Harness } from './fixtures';

describe('AEP clients: retries, refreshes and error classification against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.emu.close();
  });
  afterEach(async () => {
    await h.inspector.clearFaults();
  });

  it('recovers from an etag race: 412 (1404), re-read, re-apply', async () => {
    const p = await provisionPendo(h.clients, 'race');
    await h.inspector.setFaults('etag-race:path=/flows/');
    const seen: string[] = [];
    const res = await h.clients.flowService.update<Flow>('flows', p.flowId, (flow) => {
      seen.push(flow.etag);
      return flow.name === 'race renamed' ? [] : [{ op: 'replace', path: '/name', value: 'race renamed' }];
    });
    expect(res).toMatchObject({ applied: true, attempts: 2 });
    expect(new Set(seen).size).toBe(2);
    expect((await h.clients.flowService.get('flows', p.flowId)).name).toBe('race renamed');
    const patches = await h.inspector.requests({ path: `/flows/${p.flowId}`, method: 'PATCH' });
    expect(patches.map((r) => r.status)).toEqual([412, 200]);
  });

  it('classifies a stale etag and a missing If-Match', async () => {
    const p = await provisionPendo(h.clients, 'etag');
    await h.clients.flowService.patch(
      'flows',
      p.flowId,
      [{ op: 'replace', path: '/description', value: 'one' }],
      p.flowEtag,
    );
    const stale = h.clients.flowService.patch(
      'flows',
      p.flowId,
      [{ op: 'replace', path: '/description', value: 'two' }],
      p.flowEtag,
    );
    await expect(stale).rejects.toMatchObject({
      type: 'AepPreconditionFailed',
      status: 412,
      code: 'FLOW-1404-412',
      retryable: true,
    });
    // Clients send the etag quoted; the unquoted form is accepted too.
    const { etag } = await h.clients.flowService.get('flows', p.flowId);
    await h.clients.flowService.patch(
      'flows',
      p.flowId,
      [{ op: 'replace', path: '/description', value: 'three' }],
      etag.replaceAll('"', ''),
    );

    const raw = await rawPlatform(h, 'PATCH', `/data/foundation/flowservice/flows/${p.flowId}`, [
      { op: 'replace', path: '/name', value: 'x' },
    ]);
    expect(raw.status).toBe(400);
    expect(raw.data.type).toMatch(/FLOW-1403-400$/);
  });

  it('rejects undocumented patch paths (1455) and operations (1434)', async () => {
    const p = await provisionPendo(h.clients, 'paths');
    const { etag } = await h.clients.flowService.get('flows', p.flowId);
    await expect(
      h.clients.flowService.patch(
        'flows',
        p.flowId,
        [{ op: 'replace', path: '/transformations/0/params/mappingId', value: 'x' }],
        etag,
      ),
    ).rejects.toMatchObject({ type: 'AepValidation', code: 'FLOW-1455-400' });
    await expect(
      h.clients.flowService.patch('flows', p.flowId, [{ op: 'move' as 'add', path: '/name', value: 'x' }], etag),
    ).rejects.toMatchObject({ code: 'FLOW-1434-400' });
  });

  it('refreshes the token exactly once when it expires mid-run', async () => {
    await h.clients.schemaRegistry.getTenantId();
    const before = (await h.inspector.stats()).tokensIssued;
    await h.inspector.setFaults('token-expiry');
    expect(await h.clients.schemaRegistry.getTenantId()).toBe('pendoflowemu');
    expect((await h.inspector.stats()).tokensIssued).toBe(before + 1);
    const stats = await h.inspector.requests({ path: '/schemaregistry/stats' });
    expect(stats.slice(-2).map((r) => r.status)).toEqual([401, 200]);
  });

  it('gives up after one refresh when the platform keeps rejecting tokens', async () => {
    await h.inspector.setFaults('token-expiry:times=2');
    const err = await h.clients.schemaRegistry.getTenantId().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AepError);
    expect(err).toMatchObject({ type: 'AepAuthError', status: 401, code: '401013', retryable: false });
  });

  it('refreshes before expiry with short-lived tokens', async () => {
    const short = await startHarness({ tokenTtlMs: 1_000 });
    try {
      await short.clients.schemaRegistry.getTenantId();
      await new Promise((r) => setTimeout(r, 1_100));
      await short.clients.schemaRegistry.getTenantId();
      expect((await short.inspector.stats()).tokensIssued).toBe(2);
      expect((await short.inspector.requests()).filter((r) => r.status === 401)).toEqual([]);
    } finally {
      await short.emu.close();
    }
  });

  it('classifies injected 5xx and 429 as transient and honours Retry-After', async () => {
    await h.inspector.setFaults('503:path=/catalog/:retry-after=7,429:path=/conversion/:retry-after=2');
    await expect(h.clients.catalog.findDatasetByName('x')).rejects.toMatchObject({
      type: 'AepUnavailable',
      status: 503,
      retryable: true,
      retryAfterMs: 7_000,
    });
    await expect(h.clients.dataPrep.findMappingSetByName('x')).rejects.toMatchObject({
      type: 'AepRateLimited',
      status: 429,
      retryable: true,
      retryAfterMs: 2_000,
    });
    // One-shot faults: the next calls succeed.
    expect(await h.clients.catalog.findDatasetByName('x')).toBeUndefined();
  });

  it('fails flow creation permanently on an injected schema mismatch (1425)', async () => {
    await h.inspector.setFaults('flow-create:code=1425');
    const err = await provisionPendo(h.clients, 'mismatch').catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'AepValidation', code: 'FLOW-1425-400', retryable: false });
    expect((err as Error).message).toContain('Schema with same id and version must be used');
    expect(await h.clients.flowService.findByName('flows', 'mismatch Pendo flow')).toBeUndefined();
    expect(await h.clients.flowService.findByName('targetConnections', 'mismatch Pendo target')).toBeDefined();
  });

  it('detects a real schema mismatch between mapping and dataset (1425)', async () => {
    const p = await provisionPendo(h.clients, 'realmm');
    const other = await provisionPendo(h.clients, 'realmm2');
    const bad = h.clients.flowService.create('flows', {
      name: 'mismatched',
      flowSpec: { id: 'e77fde5a-22a8-11ed-861d-0242ac120002', version: '1.0' },
      sourceConnectionIds: [p.sourceConnectionId],
      targetConnectionIds: [p.targetConnectionId],
      transformations: [{ name: 'Mapping', params: { mappingId: other.mappingId, mappingVersion: 0 } }],
    });
    await expect(bad).rejects.toMatchObject({ code: 'FLOW-1425-400' });
  });

  it('rejects an inlet request over 1 MB with 413, and packs batches under the limit', async () => {
    const p = await provisionPendo(h.clients, 'big');
    const inletUrl = (await h.clients.flowService.getInletUrl(p.flowId))!;
    const huge = { ...pendoEvent('huge'), padding: 'x'.repeat(1_100_000) };
    await expect(h.clients.inlet.send(inletUrl, p.flowId, huge)).rejects.toMatchObject({
      type: 'AepPayloadTooLarge',
      status: 413,
      retryable: false,
    });
    const medium = (id: string) => ({ ...pendoEvent(id), padding: 'y'.repeat(300_000) });
    const results = await h.clients.inlet.sendBatch(inletUrl, p.flowId, [
      medium('m1'),
      huge,
      medium('m2'),
      medium('m3'),
      medium('m4'),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true, true]);
    expect(results[1]).toMatchObject({ index: 1, status: 413, type: 'AepPayloadTooLarge' });
    const batches = await h.inspector.requests({ path: '/collection/batch/' });
    expect(batches.map((r) => r.status)).toEqual([207, 207]);
    expect((await h.inspector.records(p.flowId)).map((r) => (r.input as { uniqueId: string }).uniqueId)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
    ]);
  });

  it('marks every message of a batch that failed as a whole as retryable', async () => {
    const p = await provisionPendo(h.clients, 'dcs503');
    const inletUrl = (await h.clients.flowService.getInletUrl(p.flowId))!;
    await h.inspector.setFaults('503:path=/collection/batch/:retry-after=1');
    const results = await h.clients.inlet.sendBatch(inletUrl, p.flowId, [pendoEvent('a'), pendoEvent('b')]);
    expect(results).toEqual([
      expect.objectContaining({ index: 0, ok: false, retryable: true, status: 503, retryAfterMs: 1_000 }),
      expect.objectContaining({ index: 1, ok: false, retryable: true, status: 503 }),
    ]);
  });

  it('requires x-adobe-flow-id on the inlet, as header or query parameter', async () => {
    const p = await provisionPendo(h.clients, 'flowid');
    const inletUrl = (await h.clients.flowService.getInletUrl(p.flowId))!;
    const post = (url: string, headers: Record<string, string> = {}) =>
      axios.post(url, pendoEvent('q'), { headers, validateStatus: () => true });
    expect((await post(inletUrl)).status).toBe(400);
    expect((await post(inletUrl, { 'x-adobe-flow-id': 'wrong' })).status).toBe(400);
    expect((await post(`${inletUrl}?x-adobe-flow-id=${p.flowId}`)).status).toBe(200);
    expect((await post(`${h.emu.inletBaseUrl}/${'0'.repeat(64)}`, { 'x-adobe-flow-id': p.flowId })).status).toBe(404);
  });

  it('hides the inlet URL until the configured delay has passed', async () => {
    const slow = await startHarness({ inletDelayMs: 1_500 });
    try {
      const p = await provisionPendo(slow.clients, 'slow');
      expect(await slow.clients.flowService.getInletUrl(p.flowId)).toBeUndefined();
      await new Promise((r) => setTimeout(r, 1_600));
      expect(await slow.clients.flowService.getInletUrl(p.flowId)).toMatch(/\/collection\/[0-9a-f]{64}$/);
    } finally {
      await slow.emu.close();
    }
  });

  it('adopts an existing schema title instead of failing on XDM-1521', async () => {
    const p = await provisionPendo(h.clients, 'adopt');
    const body = {
      type: 'object',
      title: 'adopt Pendo events',
      description: 'again',
      allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/experienceevent' }],
    };
    await expect(h.clients.schemaRegistry.create('schemas', body)).rejects.toMatchObject({
      type: 'AepConflict',
      code: 'XDM-1521-400',
      retryable: false,
    });
    const ensured = await h.clients.schemaRegistry.ensure('schemas', body);
    expect(ensured).toMatchObject({ created: false, resource: { $id: p.schemaId } });
  });

  it('keeps sandboxes apart', async () => {
    const dev = createAepClients({ ...h.config, sandbox: 'dev' }, { tokenCache: h.tokenCache });
    await provisionPendo(h.clients, 'iso');
    expect(await dev.flowService.findByName('flows', 'iso Pendo flow')).toBeUndefined();
    expect(await dev.catalog.findDatasetByName('iso-pendo-events')).toBeUndefined();
    const upper = createAepClients({ ...h.config, sandbox: 'Prod' }, { tokenCache: h.tokenCache });
    await expect(upper.flowService.findByName('flows', 'x')).rejects.toMatchObject({
      type: 'AepConfigError',
      code: 'FLOW-2100-404',
    });
  });

  it('answers gateway errors for missing or wrong credentials headers', async () => {
    const path = '/data/foundation/flowservice/flows';
    const cases: [Record<string, string | undefined>, number, string][] = [
      [{ Authorization: undefined }, 403, '403010'],
      [{ Authorization: 'Bearer nope' }, 401, '401013'],
      [{ 'x-api-key': undefined }, 403, '403000'],
      [{ 'x-api-key': 'other' }, 403, '403003'],
      [{ 'x-gw-ims-org-id': undefined }, 400, '400003'],
      [{ 'x-gw-ims-org-id': 'OTHER@AdobeOrg' }, 403, '403025'],
    ];
    for (const [override, status, code] of cases) {
      const res = await rawPlatform(h, 'GET', path, undefined, override);
      expect([res.status, res.data.error_code]).toEqual([status, code]);
    }
    const noSandbox = await rawPlatform(h, 'GET', path, undefined, { 'x-sandbox-name': undefined });
    expect([noSandbox.status, noSandbox.data.type]).toEqual([400, 'https://ns.adobe.com/aep/errors/FLOW-2105-400']);
  });

  it('enforces Schema Registry Accept rules', async () => {
    const p = await provisionPendo(h.clients, 'accept');
    const path = `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(p.schemaId)}`;
    const none = await rawPlatform(h, 'GET', path, undefined, { Accept: 'application/json' });
    expect([none.status, none.data.type]).toEqual([400, 'http://ns.adobe.com/aep/errors/XDM-1006-400']);
    const noVersion = await rawPlatform(h, 'GET', path, undefined, { Accept: 'application/vnd.adobe.xed+json' });
    expect(noVersion.status).toBe(400);
    const unknown = await rawPlatform(h, 'GET', path, undefined, {
      Accept: 'application/vnd.adobe.xed-bogus+json; version=1',
    });
    expect(unknown.status).toBe(406);
    const full = await h.clients.schemaRegistry.get('schemas', p.schemaId, { full: true });
    expect(full.properties).toMatchObject({
      _pendoflowemu: { properties: { uniqueId: { type: 'string' } } },
      timestamp: { type: 'string' },
    });
    const byAltId = await h.clients.schemaRegistry.get('schemas', String(full['meta:altId']));
    expect(byAltId.$id).toBe(p.schemaId);
  });

  it('never leaks the client secret when IMS rejects the credentials', async () => {
    const bad = createAepClients(
      { ...h.config, clientSecret: 'super-secret-value' },
      { tokenCache: new ImsTokenCache() },
    );
    const err = await bad.schemaRegistry.getTenantId().catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'AepAuthError', status: 401, code: 'invalid_client', retryable: false });
    expect(JSON.stringify(err)).not.toContain('super-secret-value');
    expect(String((err as Error).stack)).not.toContain('super-secret-value');
  });

  it('turns an aborted call into AepCancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(h.clients.flowService.findByName('flows', 'x', controller.signal)).rejects.toMatchObject({
      type: 'AepCancelled',
      retryable: false,
    });
  });
});

/** A platform call with real credentials, where `override` drops (undefined) or replaces headers. */
async function rawPlatform(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  override: Record<string, string | undefined> = {},
): Promise<{ status: number; data: Record<string, unknown> }> {
  const token = await h.clients.tokens.getToken();
  const headers: Record<string, string | undefined> = {
    Authorization: `Bearer ${token}`,
    'x-api-key': h.config.clientId,
    'x-gw-ims-org-id': h.config.orgId,
    'x-sandbox-name': h.config.sandbox,
    'Content-Type': 'application/json',
    ...override,
  };
  const res = await axios.request({
    method,
    url: `${h.emu.platformUrl}${path}`,
    data: body,
    headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>,
    validateStatus: () => true,
  });
  return { status: res.status, data: res.data as Record<string, unknown> };
}
