import type { Json } from './http';

/** Constants of the Pendo tutorial (spec §3) plus the HTTP API source for generic base connections. */
export const PENDO_CONNECTION_SPEC_ID = '6ff5654f-19d5-427d-bd3e-c0ebc802389a';
export const STREAMING_PROVIDER_ID = '521eee4d-8cbe-4906-bb48-fb6bd4450033';
export const DATA_LAKE_CONNECTION_SPEC_ID = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
export const HTTP_API_CONNECTION_SPEC_ID = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb';
export const GENERIC_STREAMING_FLOW_SPEC_ID = 'e77fde5a-22a8-11ed-861d-0242ac120002';
export const HTTP_API_FLOW_SPEC_ID = 'd69717ba-71b4-4313-b654-49f9cf126d7a';

const SOURCE_SPECS = [PENDO_CONNECTION_SPEC_ID, HTTP_API_CONNECTION_SPEC_ID];

// `attributes.category` is a display string; the `{key}` form lives in `attributes.uiAttributes`.
export const CONNECTION_SPECS: Json[] = [
  {
    id: PENDO_CONNECTION_SPEC_ID,
    name: 'pendo-webhook',
    providerId: STREAMING_PROVIDER_ID,
    version: '1.0',
    attributes: {
      isSource: true,
      category: 'Analytics',
      isBeta: true,
      uiAttributes: { category: { key: 'analytics' } },
    },
  },
  {
    id: HTTP_API_CONNECTION_SPEC_ID,
    name: 'HTTP API',
    providerId: STREAMING_PROVIDER_ID,
    version: '1.0',
    attributes: { isSource: true, category: 'Streaming', uiAttributes: { category: { key: 'streaming' } } },
    authSpec: [{ name: 'Streaming Connection', spec: { type: 'object' } }],
  },
  {
    id: DATA_LAKE_CONNECTION_SPEC_ID,
    name: 'Data Lake',
    providerId: STREAMING_PROVIDER_ID,
    version: '1.0',
    attributes: { isDestination: true },
  },
];

export const FLOW_SPECS: Json[] = [
  {
    id: GENERIC_STREAMING_FLOW_SPEC_ID,
    name: 'GenericStreamingAEP',
    providerId: STREAMING_PROVIDER_ID,
    version: '1.0',
    sourceConnectionSpecIds: SOURCE_SPECS,
    targetConnectionSpecIds: [DATA_LAKE_CONNECTION_SPEC_ID],
  },
  {
    id: HTTP_API_FLOW_SPEC_ID,
    name: 'Stream data with optional transformation',
    providerId: STREAMING_PROVIDER_ID,
    version: '1.0',
    sourceConnectionSpecIds: SOURCE_SPECS,
    targetConnectionSpecIds: [DATA_LAKE_CONNECTION_SPEC_ID],
  },
];

export const isSourceSpec = (id: unknown): boolean => SOURCE_SPECS.includes(id as string);
export const isTargetSpec = (id: unknown): boolean => id === DATA_LAKE_CONNECTION_SPEC_ID;
export const findFlowSpec = (id: unknown): Json | undefined => FLOW_SPECS.find((s) => s.id === id);
