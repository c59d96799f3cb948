import type { Flow } from '../../../src/aep';
import { pendoEvent, provisionPendo, startHarness, type Harness } from './fixtures';

describe('Pendo tutorial through the AEP clients against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.emu.close();
  });

  it('provisions every resource once, streams a mapped message and reports the run', async () => {
    const p = await provisionPendo(h.clients, 'tut');
    expect(p.tenantId).toBe('pendoflowemu');
    expect(p.schemaId).toMatch(/^https:\/\/ns\.adobe\.com\/pendoflowemu\/schemas\/[0-9a-f]{32}$/);
    expect(p.fieldGroupId).toMatch(/\/mixins\/[0-9a-f]{32}$/);
    expect(p.datasetId).toMatch(/^[0-9a-f]{24}$/);
    expect(p.mappingId).toMatch(/^[0-9a-f]{32}$/);
    expect(p.mappingVersion).toBe(0);
    expect(p.flowEtag).toMatch(/^"[0-9a-f]{8}-0000-0200-0000-[0-9a-f]{12}"$/);

    const counts = await h.inspector.counts();
    expect(counts).toMatchObject({
      fieldgroups: 1,
      schemas: 1,
      dataSets: 1,
      sourceConnections: 1,
      targetConnections: 1,
      mappingSets: 1,
      flows: 1,
      connections: 0,
    });

    const flow = await h.clients.flowService.get<Flow>('flows', p.flowId);
    expect(flow.state).toBe('enabled');
    expect(flow.inheritedAttributes).toMatchObject({ properties: { isSourceFlow: true } });
    const inletUrl = await h.clients.flowService.getInletUrl(p.flowId);
    expect(inletUrl).toMatch(new RegExp(`^${h.emu.inletBaseUrl}/[0-9a-f]{64}$`));

    const sent = await h.clients.inlet.send(inletUrl!, p.flowId, pendoEvent('evt-1'));
    expect(sent.xactionId).toMatch(/^\d+:\d+:\d+$/);

    const records = await h.inspector.records(p.flowId);
    expect(records).toHaveLength(1);
    expect(records[0]?.output).toEqual({
      _pendoflowemu: {
        uniqueId: 'evt-1',
        accountId: '58f79ee324d3f',
        visitorId: 'test@test.com',
        guideName: 'Guide Conversion Test',
        timestamp: 1673372516,
      },
    });

    const runs = await h.clients.flowService.listRuns(p.flowId);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.metrics.recordSummary).toEqual({ inputRecordCount: 1, outputRecordCount: 1, failedRecordCount: 0 });
    expect(runs[0]?.metrics.statusSummary?.status).toBe('success');
    const again = await h.clients.flowService.get<Flow>('flows', p.flowId);
    expect(again.lastRunDetails).toMatchObject({ id: runs[0]?.id, state: 'success' });
    expect((await h.clients.flowService.getRun(runs[0]!.id)).flowId).toBe(p.flowId);
  });

  it('finds every resource by its deterministic name', async () => {
    const p = await provisionPendo(h.clients, 'find');
    const { schemaRegistry, catalog, dataPrep, flowService } = h.clients;
    expect((await schemaRegistry.findByTitle('schemas', 'find Pendo events'))?.$id).toBe(p.schemaId);
    expect((await schemaRegistry.findByTitle('fieldgroups', 'find Pendo fields'))?.$id).toBe(p.fieldGroupId);
    expect((await catalog.findDatasetByName('find-pendo-events'))?.id).toBe(p.datasetId);
    expect((await dataPrep.findMappingSetByName('find-pendo-mapping'))?.id).toBe(p.mappingId);
    expect((await flowService.findByName('sourceConnections', 'find Pendo source'))?.id).toBe(p.sourceConnectionId);
    expect((await flowService.findByName('targetConnections', 'find Pendo target'))?.id).toBe(p.targetConnectionId);
    expect((await flowService.findByName('flows', 'find Pendo flow'))?.id).toBe(p.flowId);
    expect(await flowService.findByName('flows', 'no such flow')).toBeUndefined();
    expect(await catalog.findDatasetByName('no-such-dataset')).toBeUndefined();
    const byConnection = await flowService.list('flows', {
      property: [`sourceConnectionIds[]==${p.sourceConnectionId}`],
    });
    expect(byConnection.map((f) => f.id)).toEqual([p.flowId]);
  });

  it('streams batches with per-message results and surfaces mapping failures in runs', async () => {
    const p = await provisionPendo(h.clients, 'batch');
    const inletUrl = (await h.clients.flowService.getInletUrl(p.flowId))!;
    const { uniqueId: _drop, ...withoutUniqueId } = pendoEvent('x');
    const results = await h.clients.inlet.sendBatch(inletUrl, p.flowId, [
      pendoEvent('a'),
      withoutUniqueId,
      'not an object',
      pendoEvent('b'),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(results[2]).toMatchObject({ index: 2, ok: false, status: 400, type: 'AepValidation', retryable: false });

    const [run] = await h.clients.flowService.listRuns(p.flowId);
    expect(run?.metrics.recordSummary).toEqual({ inputRecordCount: 3, outputRecordCount: 2, failedRecordCount: 1 });
    expect(run?.metrics.statusSummary?.status).toBe('partialSuccess');
    expect(run?.metrics.statusSummary?.errors?.[0]).toMatchObject({ code: 'MAPPER-3700-400', recordCount: 1 });
    expect(run?.metrics.statusSummary?.errors?.[0]?.message).toContain('uniqueID: expected minLength:1, actual 0');
  });

  it('updates the mapping (new version) and points the flow at it with If-Match', async () => {
    const p = await provisionPendo(h.clients, 'upd');
    const current = await h.clients.dataPrep.getMappingSet(p.mappingId);
    const next = await h.clients.dataPrep.updateMappingSet(p.mappingId, {
      name: current.name,
      outputSchema: { schemaRef: { id: p.schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
      mappings: [{ source: 'uniqueId', destination: `_${p.tenantId}.uniqueId`, sourceType: 'ATTRIBUTE' }],
    });
    expect(next).toEqual({ id: p.mappingId, version: 1 });
    expect((await h.clients.dataPrep.getMappingSet(p.mappingId, 0)).mappings).toHaveLength(5);

    const res = await h.clients.flowService.update<Flow>('flows', p.flowId, (flow) =>
      flow.transformations?.[0]?.params.mappingVersion === 1
        ? []
        : [
            {
              op: 'replace',
              path: '/transformations/0',
              value: { name: 'Mapping', params: { mappingId: p.mappingId, mappingVersion: 1 } },
            },
            { op: 'replace', path: '/description', value: 'v2' },
          ],
    );
    expect(res).toMatchObject({ applied: true, attempts: 1 });
    expect(res.etag).not.toBe(p.flowEtag);
    const flow = await h.clients.flowService.get<Flow>('flows', p.flowId);
    expect(flow.description).toBe('v2');
    expect(flow.transformations?.[0]?.params.mappingVersion).toBe(1);
    expect(flow.lastOperation).toMatchObject({ operation: 'update', status: { value: 'completed' } });
    // Idempotent: nothing left to apply.
    expect(
      await h.clients.flowService.update<Flow>('flows', p.flowId, (f) =>
        f.description === 'v2' ? [] : [{ op: 'replace', path: '/description', value: 'v2' }],
      ),
    ).toMatchObject({ applied: false });
  });

  it('enables and disables a flow, and rejects repeating an action (1422)', async () => {
    const p = await provisionPendo(h.clients, 'act');
    const disabled = await h.clients.flowService.action('flows', p.flowId, 'disable');
    expect((await h.clients.flowService.get('flows', p.flowId)).state).toBe('disabled');
    await expect(h.clients.flowService.action('flows', p.flowId, 'disable')).rejects.toMatchObject({
      type: 'AepInvalidState',
      code: 'FLOW-1422-400',
      retryable: true,
    });
    const inletUrl = (await h.clients.flowService.getInletUrl(p.flowId))!;
    const [r] = await h.clients.inlet.sendBatch(inletUrl, p.flowId, [pendoEvent('while-disabled')]);
    expect(r).toMatchObject({ ok: false, status: 400 });
    const enabled = await h.clients.flowService.action('flows', p.flowId, 'enable', { etag: disabled.etag });
    expect(enabled.etag).not.toBe(disabled.etag);
    expect((await h.clients.flowService.get('flows', p.flowId)).state).toBe('enabled');
  });

  it('tears down in dependency order; referenced resources refuse deletion; a second delete is a no-op', async () => {
    const p = await provisionPendo(h.clients, 'del');
    const { flowService, catalog, schemaRegistry } = h.clients;
    await expect(flowService.delete('sourceConnections', p.sourceConnectionId)).rejects.toMatchObject({
      type: 'AepResourceInUse',
      code: 'FLOW-1447-400',
      retryable: false,
    });
    await expect(flowService.delete('targetConnections', p.targetConnectionId)).rejects.toMatchObject({
      code: 'FLOW-1447-400',
    });

    expect(await flowService.delete('flows', p.flowId)).toBe(true);
    expect(await flowService.delete('flows', p.flowId)).toBe(false);
    await expect(flowService.get('flows', p.flowId)).rejects.toMatchObject({
      type: 'AepNotFound',
      code: 'FLOW-1439-404',
    });
    expect(await flowService.tryGet('flows', p.flowId)).toBeUndefined();
    expect(await flowService.delete('sourceConnections', p.sourceConnectionId)).toBe(true);
    expect(await flowService.delete('targetConnections', p.targetConnectionId)).toBe(true);
    expect(await catalog.deleteDataset(p.datasetId)).toBe(true);
    expect(await catalog.deleteDataset(p.datasetId)).toBe(false);
    expect(await schemaRegistry.delete('schemas', p.schemaId)).toBe(true);
    expect(await schemaRegistry.delete('fieldgroups', p.fieldGroupId)).toBe(true);
    expect(await schemaRegistry.delete('fieldgroups', p.fieldGroupId)).toBe(false);

    const left = await h.inspector.resources(undefined, { name: 'del Pendo flow' });
    expect(left).toEqual([]);
    // Mapping sets cannot be deleted in AEP; it stays.
    expect(await h.inspector.resources('mappingSets', { name: 'del-pendo-mapping' })).toHaveLength(1);
  });

  it('refuses to delete a base connection whose source connection is in a flow (1418)', async () => {
    const p = await provisionPendo(h.clients, 'base');
    const base = await h.clients.flowService.create('connections', {
      name: 'base account',
      connectionSpec: { id: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', version: '1.0' },
      auth: { specName: 'Streaming Connection', params: { dataType: 'raw', name: 'base account' } },
    });
    const source = await h.clients.flowService.create('sourceConnections', {
      name: 'based source',
      baseConnectionId: base.id,
      connectionSpec: { id: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', version: '1.0' },
      data: { format: 'json' },
    });
    const flow = await h.clients.flowService.create('flows', {
      name: 'based flow',
      flowSpec: { id: 'd69717ba-71b4-4313-b654-49f9cf126d7a', version: '1.0' },
      sourceConnectionIds: [source.id],
      targetConnectionIds: [p.targetConnectionId],
      transformations: [{ name: 'Mapping', params: { mappingId: p.mappingId, mappingVersion: 0 } }],
    });
    await expect(h.clients.flowService.delete('connections', base.id)).rejects.toMatchObject({
      type: 'AepResourceInUse',
      code: 'FLOW-1418-400',
    });
    await h.clients.flowService.delete('flows', flow.id);
    expect(await h.clients.flowService.delete('connections', base.id)).toBe(true);
  });
});
