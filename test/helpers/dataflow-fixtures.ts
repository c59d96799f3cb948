import { DEFAULT_MAPPINGS } from '../../src/workflows/dataflow/fields';
import type { DataflowInput } from '../../src/workflows';
import type { PatchResult } from '../../src/workflows/dataflow/activity-types';

/** A dataflow whose every AEP name is final, as the client hands it to the workflow. */
export function dataflowInput(name: string): DataflowInput {
  return {
    spec: {
      name,
      description: 'Pendo events',
      aep: {
        imsUrl: 'http://127.0.0.1:1/ims',
        platformUrl: 'http://127.0.0.1:1',
        orgId: 'ORG@AdobeOrg',
        sandbox: 'prod',
        clientId: 'client',
        clientSecret: 'env:AEP_CLIENT_SECRET',
      },
      flowName: `pendoflow ${name} Pendo dataflow`,
      account: { name: `pendoflow ${name} Pendo source`, description: 'Pendo' },
      schemaTitle: `pendoflow ${name} Pendo events`,
      datasetName: `pendoflow-${name}-pendo-events`,
      mappings: [...DEFAULT_MAPPINGS],
      monitorIntervalMs: 3_600_000,
    },
  };
}

/**
 * The provisioning steps in order: the activity each calls and the kind a teardown deletes (none for the tenant,
 * the mapping set, which Data Prep cannot delete, and the inlet, which goes with its flow).
 */
export const PROVISIONING = [
  { step: 'tenant', activity: 'aepTenantId', kind: null },
  { step: 'fieldGroup', activity: 'aepEnsureFieldGroup', kind: 'fieldgroups' },
  { step: 'schema', activity: 'aepEnsureSchema', kind: 'schemas' },
  { step: 'dataset', activity: 'aepEnsureDataset', kind: 'dataSets' },
  { step: 'sourceConnection', activity: 'aepEnsureSourceConnection', kind: 'sourceConnections' },
  { step: 'targetConnection', activity: 'aepEnsureTargetConnection', kind: 'targetConnections' },
  { step: 'mappingSet', activity: 'aepEnsureMappingSet', kind: null },
  { step: 'flow', activity: 'aepEnsureFlow', kind: 'flows' },
  { step: 'inlet', activity: 'aepInletUrl', kind: null },
] as const;

export type ProvisioningActivity = (typeof PROVISIONING)[number]['activity'];

/** What each provisioning activity returns when it succeeds: an id named for its step. */
export const PROVISIONED: Record<ProvisioningActivity, () => Promise<unknown>> = {
  aepTenantId: async () => 'tenant-id',
  aepEnsureFieldGroup: async () => ({ id: 'fieldGroup-id' }),
  aepEnsureSchema: async () => ({ id: 'schema-id' }),
  aepEnsureDataset: async () => ({ id: 'dataset-id' }),
  aepEnsureSourceConnection: async () => ({ id: 'sourceConnection-id', etag: '"s1"' }),
  aepEnsureTargetConnection: async () => ({ id: 'targetConnection-id', etag: '"t1"' }),
  aepEnsureMappingSet: async () => ({ id: 'mappingSet-id', version: 0 }),
  aepEnsureFlow: async () => ({ id: 'flow-id', etag: '"f1"' }),
  aepInletUrl: async () => 'https://dcs.example/collection/inlet-id',
};

export const patched = (etag: string, attempts: number): PatchResult => ({ etag, applied: true, attempts });
