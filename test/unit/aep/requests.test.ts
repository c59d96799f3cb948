import {
  batchUrlFor,
  buildTokenRequest,
  buildUrl,
  catalogRequests,
  dataLakeTargetConnectionBody,
  dataPrepRequests,
  datasetBody,
  fieldGroupBody,
  flowServiceRequests,
  mappingSetBody,
  nextContinuationToken,
  packBatches,
  parseBatchResponse,
  parseCreatedDatasetId,
  parseDatasets,
  parseTokenResponse,
  pendoSourceConnectionBody,
  platformHeaders,
  propertyEquals,
  schemaBody,
  schemaRegistryRequests,
  streamingFlowBody,
  tokenCacheKey,
  type AepClientConfig,
} from '../../../src/aep';

const config: AepClientConfig = {
  imsUrl: 'https://ims-na1.adobelogin.com/',
  platformUrl: 'https://platform.adobe.io',
  orgId: 'ORG@AdobeOrg',
  clientId: 'client-1',
  clientSecret: 's3cret',
  sandbox: 'prod',
};

describe('IMS token request', () => {
  it('posts the client-credentials grant form-encoded with the AEP scopes', () => {
    const req = buildTokenRequest(config);
    expect(req.url).toBe('https://ims-na1.adobelogin.com/ims/token/v3');
    expect(req.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 's3cret',
      scope: 'openid,session,AdobeID,read_organizations,additional_info.projectedProductContext',
    });
    expect(new URLSearchParams(buildTokenRequest({ ...config, scopes: ['openid'] }).body).get('scope')).toBe('openid');
  });

  it('reads expires_in as seconds and schedules the refresh before expiry', () => {
    const t = parseTokenResponse({ access_token: 'abc', token_type: 'bearer', expires_in: 86399 }, 1_000);
    expect(t).toEqual({
      accessToken: 'abc',
      expiresAtMs: 1_000 + 86_399_000,
      refreshAtMs: 1_000 + 86_399_000 - 300_000,
    });
    // Short lifetimes refresh at half-life rather than never.
    expect(parseTokenResponse({ access_token: 'abc', expires_in: 2 }, 0).refreshAtMs).toBe(1_000);
    expect(() => parseTokenResponse({ token_type: 'bearer' }, 0)).toThrow(/no access_token/);
  });

  it('keys the cache by host, org, client and a hash of the secret (never the secret)', () => {
    const key = tokenCacheKey(config);
    expect(key).toContain('client-1');
    expect(key).toContain('ORG@AdobeOrg');
    expect(key).not.toContain('s3cret');
    expect(tokenCacheKey({ ...config, clientSecret: 'rotated' })).not.toBe(key);
  });
});

describe('platform plumbing', () => {
  it('sends the four platform headers', () => {
    expect(platformHeaders(config, 'tok')).toEqual({
      Authorization: 'Bearer tok',
      'x-api-key': 'client-1',
      'x-gw-ims-org-id': 'ORG@AdobeOrg',
      'x-sandbox-name': 'prod',
    });
  });

  it('repeats array query keys and percent-encodes filter operators', () => {
    const url = buildUrl('https://platform.adobe.io/', '/data/foundation/flowservice/runs', {
      property: ['flowId==f1', 'metrics.durationSummary.startedAtUTC>5'],
      orderby: '+createdAt',
      limit: undefined,
    });
    expect(url).toBe(
      'https://platform.adobe.io/data/foundation/flowservice/runs?property=flowId%3D%3Df1&property=metrics.durationSummary.startedAtUTC%3E5&orderby=%2BcreatedAt',
    );
    expect(new URL(url).searchParams.getAll('property')).toEqual([
      'flowId==f1',
      'metrics.durationSummary.startedAtUTC>5',
    ]);
  });
});

describe('Schema Registry requests', () => {
  it('builds stats, create, lookups and patches on the tenant container', () => {
    expect(schemaRegistryRequests.stats()).toMatchObject({
      method: 'GET',
      path: '/data/foundation/schemaregistry/stats',
    });
    expect(schemaRegistryRequests.create('fieldgroups', { title: 't' })).toMatchObject({
      method: 'POST',
      path: '/data/foundation/schemaregistry/tenant/fieldgroups',
      body: { title: 't' },
    });
    const get = schemaRegistryRequests.get('schemas', 'https://ns.adobe.com/t/schemas/abc');
    expect(get.path).toBe(
      '/data/foundation/schemaregistry/tenant/schemas/https%3A%2F%2Fns.adobe.com%2Ft%2Fschemas%2Fabc',
    );
    expect(get.headers).toEqual({ Accept: 'application/vnd.adobe.xed+json; version=1' });
    expect(schemaRegistryRequests.findByTitle('schemas', 'Pendo events')).toMatchObject({
      query: { property: 'title==Pendo events' },
      headers: { Accept: 'application/vnd.adobe.xed-id+json' },
    });
    expect(
      schemaRegistryRequests.patch('schemas', '_t.schemas.abc', [
        { op: 'add', path: '/allOf/-', value: { $ref: 'x' } },
      ]),
    ).toMatchObject({
      method: 'PATCH',
      path: '/data/foundation/schemaregistry/tenant/schemas/_t.schemas.abc',
    });
  });

  it('puts custom fields under _{tenantId} and composes schemas from $ids', () => {
    const fg = fieldGroupBody({
      tenantId: 'acme',
      title: 'Pendo',
      description: 'd',
      intendedToExtend: ['https://ns.adobe.com/xdm/context/experienceevent'],
      fields: { uniqueId: { type: 'string' } },
    });
    expect(fg).toMatchObject({
      type: 'object',
      'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/experienceevent'],
      definitions: {
        fields: { properties: { _acme: { type: 'object', properties: { uniqueId: { type: 'string' } } } } },
      },
      allOf: [{ $ref: '#/definitions/fields' }],
    });
    expect(schemaBody({ title: 's', description: 'd', classId: 'C', fieldGroupIds: ['F'] })).toEqual({
      type: 'object',
      title: 's',
      description: 'd',
      allOf: [{ $ref: 'C' }, { $ref: 'F' }],
    });
  });
});

describe('Catalog requests', () => {
  it('creates datasets bound to a schema and finds them by name', () => {
    const body = datasetBody({ name: 'pendo', schemaId: 'S' });
    expect(body).toEqual({
      name: 'pendo',
      schemaRef: { id: 'S', contentType: 'application/vnd.adobe.xed-full+json;version=1' },
      tags: { 'pendoflow/source': ['pendo'] },
    });
    expect(catalogRequests.create(body)).toMatchObject({ method: 'POST', path: '/data/foundation/catalog/dataSets' });
    expect(catalogRequests.findByName('pendo')).toMatchObject({ query: { name: 'pendo', limit: 100 } });
    expect(catalogRequests.delete('abc')).toMatchObject({
      method: 'DELETE',
      path: '/data/foundation/catalog/dataSets/abc',
    });
  });

  it('parses the create array and keyed objects', () => {
    expect(parseCreatedDatasetId(['@/dataSets/5c8c3c555033b814b69f947f'])).toBe('5c8c3c555033b814b69f947f');
    expect(() => parseCreatedDatasetId({ id: 'x' })).toThrow(/AepUnexpectedResponse|dataSets/);
    expect(parseDatasets({ a1: { name: 'one', created: 1 } })).toEqual([{ id: 'a1', name: 'one', created: 1 }]);
    expect(parseDatasets([])).toEqual([]);
  });
});

describe('Data Prep requests', () => {
  it('builds mapping sets in the current dialect with an output schema', () => {
    const body = mappingSetBody({
      name: 'm',
      schemaId: 'S',
      mappings: [{ source: 'uniqueId', destination: '_t.uniqueId' }],
    });
    expect(body).toEqual({
      name: 'm',
      outputSchema: { schemaRef: { id: 'S', contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
      mappings: [{ source: 'uniqueId', destination: '_t.uniqueId', sourceType: 'ATTRIBUTE' }],
    });
    expect(dataPrepRequests.create(body)).toMatchObject({
      method: 'POST',
      path: '/data/foundation/conversion/mappingSets',
    });
    expect(dataPrepRequests.get('id1', 2)).toMatchObject({
      path: '/data/foundation/conversion/mappingSets/id1',
      query: { version: 2 },
    });
    expect(dataPrepRequests.update('id1', body)).toMatchObject({ method: 'PUT' });
    // limit and start are both mandatory on the list endpoint.
    expect(dataPrepRequests.list({ name: 'm' }).query).toEqual({ limit: 100, start: 0, name: 'm' });
  });
});

describe('Flow Service requests', () => {
  it('builds the Pendo tutorial bodies with the spec constants', () => {
    expect(pendoSourceConnectionBody({ name: 'src' })).toEqual({
      name: 'src',
      description: '',
      providerId: '521eee4d-8cbe-4906-bb48-fb6bd4450033',
      connectionSpec: { id: '6ff5654f-19d5-427d-bd3e-c0ebc802389a', version: '1.0' },
      data: { format: 'json' },
    });
    expect(dataLakeTargetConnectionBody({ name: 'tgt', schemaId: 'S', datasetId: 'D' })).toMatchObject({
      connectionSpec: { id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', version: '1.0' },
      data: { format: 'json', schema: { id: 'S', version: 'application/vnd.adobe.xed-full+json;version=1' } },
      params: { dataSetId: 'D' },
    });
    const flow = streamingFlowBody({
      name: 'f',
      sourceConnectionId: 's',
      targetConnectionId: 't',
      mappingId: 'm',
      mappingVersion: 0,
    });
    expect(flow).toEqual({
      name: 'f',
      description: '',
      flowSpec: { id: 'e77fde5a-22a8-11ed-861d-0242ac120002', version: '1.0' },
      sourceConnectionIds: ['s'],
      targetConnectionIds: ['t'],
      transformations: [{ name: 'Mapping', params: { mappingId: 'm', mappingVersion: 0 } }],
    });
    expect(flow).not.toHaveProperty('scheduleParams');
  });

  it('sends If-Match with the quoted etag, and actions without a body', () => {
    const patch = flowServiceRequests.patch(
      'flows',
      'f1',
      [{ op: 'replace', path: '/name', value: 'n' }],
      '"abc-0000"',
    );
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: '/data/foundation/flowservice/flows/f1',
      headers: { 'If-Match': '"abc-0000"' },
    });
    const action = flowServiceRequests.action('flows', 'f1', 'disable');
    expect(action).toMatchObject({
      method: 'POST',
      path: '/data/foundation/flowservice/flows/f1/action',
      query: { op: 'disable' },
    });
    expect(action.body).toBeUndefined();
    expect(action.headers).toBeUndefined();
    expect(flowServiceRequests.list('runs', { property: ['flowId==f1'], orderby: '-createdAt' })).toMatchObject({
      path: '/data/foundation/flowservice/runs',
      query: { property: ['flowId==f1'], orderby: '-createdAt' },
    });
  });

  it('builds exact-match filters and follows continuation tokens', () => {
    expect(propertyEquals('name', 'Pendo flow')).toBe('name==Pendo flow');
    expect(() => propertyEquals('name', 'a,b')).toThrow(/','/);
    expect(nextContinuationToken({ _links: { next: { href: '/flows?continuationToken=abc%3D&limit=2' } } })).toBe(
      'abc=',
    );
    expect(nextContinuationToken({ items: [] })).toBeUndefined();
  });
});

describe('streaming inlet helpers', () => {
  it('derives the batch URL from the inlet URL', () => {
    expect(batchUrlFor('https://dcs.adobedc.net/collection/abc123?x-adobe-flow-id=f')).toBe(
      'https://dcs.adobedc.net/collection/batch/abc123',
    );
    expect(() => batchUrlFor('https://example.com/other')).toThrow(/inlet URL/);
  });

  it('packs messages in order under the byte limit and sets apart those too big alone', () => {
    const msg = (n: number) => ({ p: 'x'.repeat(n) });
    const { batches, oversized } = packBatches([msg(40), msg(40), msg(200), msg(40)], 120);
    expect(oversized).toEqual([2]);
    expect(batches.map((b) => b.indices)).toEqual([[0, 1], [3]]);
    for (const b of batches) {
      expect(Buffer.byteLength(b.body)).toBeLessThanOrEqual(120);
      expect(JSON.parse(b.body)).toHaveProperty('messages');
    }
    expect(packBatches([]).batches).toEqual([]);
  });

  it('reads per-message results in either documented field name', () => {
    const results = parseBatchResponse(
      { responses: [{ xactionId: '1:2:3' }, { status: 400, message: 'bad' }, { statusCode: 503, message: 'later' }] },
      [5, 6, 7],
      'op',
    );
    expect(results).toEqual([
      { index: 5, ok: true, xactionId: '1:2:3' },
      expect.objectContaining({ index: 6, ok: false, status: 400, type: 'AepValidation', retryable: false }),
      expect.objectContaining({ index: 7, ok: false, status: 503, type: 'AepUnavailable', retryable: true }),
    ]);
    expect(() => parseBatchResponse({ responses: [] }, [1], 'op')).toThrow(/one response per message/);
  });
});
