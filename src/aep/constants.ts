/** Known ids of the Pendo streaming source (spec §3, Adobe's Pendo Flow Service tutorial). */
export const PENDO_CONNECTION_SPEC = { id: '6ff5654f-19d5-427d-bd3e-c0ebc802389a', version: '1.0' } as const;
export const PENDO_PROVIDER_ID = '521eee4d-8cbe-4906-bb48-fb6bd4450033';
export const DATA_LAKE_CONNECTION_SPEC = { id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', version: '1.0' } as const;
/** `GenericStreamingAEP`, shared by the self-serve streaming sources. */
export const STREAMING_FLOW_SPEC = { id: 'e77fde5a-22a8-11ed-861d-0242ac120002', version: '1.0' } as const;
