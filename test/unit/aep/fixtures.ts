import {
  createInspector,
  startAepEmulator,
  type AepEmulatorOptions,
  type AepInspector,
  type RunningAepEmulator,
} from '../../../emulators/aep';
import {
  createAepClients,
  dataLakeTargetConnectionBody,
  datasetBody,
  fieldGroupBody,
  ImsTokenCache,
  mappingSetBody,
  pendoSourceConnectionBody,
  schemaBody,
  streamingFlowBody,
  XDM_EXPERIENCE_EVENT_CLASS,
  type AepClientConfig,
  type AepClients,
} from '../../../src/aep';

export interface Harness {
  emu: RunningAepEmulator;
  inspector: AepInspector;
  config: AepClientConfig;
  clients: AepClients;
  tokenCache: ImsTokenCache;
}

/** Starts an emulator on a random port and clients with a private token cache. */
export async function startHarness(opts: AepEmulatorOptions = {}, sandbox = 'prod'): Promise<Harness> {
  const emu = await startAepEmulator({ port: 0, ...opts });
  const config: AepClientConfig = {
    imsUrl: emu.imsUrl,
    platformUrl: emu.platformUrl,
    orgId: emu.orgId,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    sandbox,
  };
  const tokenCache = new ImsTokenCache();
  return {
    emu,
    inspector: createInspector(emu.url),
    config,
    clients: createAepClients(config, { tokenCache, timeoutMs: 5_000 }),
    tokenCache,
  };
}

export interface Provisioned {
  tenantId: string;
  fieldGroupId: string;
  schemaId: string;
  datasetId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  mappingId: string;
  mappingVersion: number;
  flowId: string;
  flowEtag: string;
}

/** Adobe's Pendo tutorial, steps 1-9, through the clients. */
export async function provisionPendo(clients: AepClients, prefix: string): Promise<Provisioned> {
  const { schemaRegistry, catalog, dataPrep, flowService } = clients;
  const tenantId = await schemaRegistry.getTenantId();
  const fieldGroup = await schemaRegistry.create(
    'fieldgroups',
    fieldGroupBody({
      tenantId,
      title: `${prefix} Pendo fields`,
      description: 'Pendo webhook event fields',
      intendedToExtend: [XDM_EXPERIENCE_EVENT_CLASS],
      fields: {
        accountId: { type: 'string' },
        visitorId: { type: 'string' },
        uniqueId: { type: 'string', minLength: 1 },
        guideName: { type: 'string' },
        timestamp: { type: 'number' },
      },
    }),
  );
  const schema = await schemaRegistry.create(
    'schemas',
    schemaBody({
      title: `${prefix} Pendo events`,
      description: 'Pendo webhook events',
      classId: XDM_EXPERIENCE_EVENT_CLASS,
      fieldGroupIds: [fieldGroup.$id],
    }),
  );
  const datasetId = await catalog.createDataset(datasetBody({ name: `${prefix}-pendo-events`, schemaId: schema.$id }));
  const source = await flowService.create(
    'sourceConnections',
    pendoSourceConnectionBody({ name: `${prefix} Pendo source` }),
  );
  const target = await flowService.create(
    'targetConnections',
    dataLakeTargetConnectionBody({ name: `${prefix} Pendo target`, schemaId: schema.$id, datasetId }),
  );
  const ns = `_${tenantId}`;
  const mapping = await dataPrep.createMappingSet(
    mappingSetBody({
      name: `${prefix}-pendo-mapping`,
      schemaId: schema.$id,
      mappings: [
        { source: 'uniqueId', destination: `${ns}.uniqueId` },
        { source: 'accountId', destination: `${ns}.accountId` },
        { source: 'visitorId', destination: `${ns}.visitorId` },
        { source: 'properties.guideProperties.name', destination: `${ns}.guideName` },
        { source: 'timestamp', destination: `${ns}.timestamp` },
      ],
    }),
  );
  const flow = await flowService.create(
    'flows',
    streamingFlowBody({
      name: `${prefix} Pendo flow`,
      sourceConnectionId: source.id,
      targetConnectionId: target.id,
      mappingId: mapping.id,
      mappingVersion: mapping.version,
    }),
  );
  return {
    tenantId,
    fieldGroupId: fieldGroup.$id,
    schemaId: schema.$id,
    datasetId,
    sourceConnectionId: source.id,
    targetConnectionId: target.id,
    mappingId: mapping.id,
    mappingVersion: mapping.version,
    flowId: flow.id,
    flowEtag: flow.etag,
  };
}

/** The sample Pendo webhook event from Adobe's Pendo UI guide. */
export const pendoEvent = (uniqueId: string) => ({
  accountId: '58f79ee324d3f',
  timestamp: 1673372516,
  visitorId: 'test@test.com',
  uniqueId,
  properties: { guideProperties: { name: 'Guide Conversion Test' } },
});
