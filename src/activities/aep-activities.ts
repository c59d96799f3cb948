import type { WorkerTrust } from '../config/trust';
import { underTrust } from './aep-context';
import { aepDelete } from './aep-delete';
import { aepEnsureFlow, aepInletUrl, aepListRuns, aepPatchFlow, aepPatchSourceConnection } from './aep-flow';
import { aepEnsureDataset, aepEnsureSourceConnection, aepEnsureTargetConnection } from './aep-connections';
import { aepEnsureMappingSet, aepUpdateMappingSet } from './aep-mapping';
import { aepEnsureFieldGroup, aepEnsureSchema, aepTenantId } from './aep-schema';

/** The AEP dataflow activities: one side effect each, secrets resolved on the worker within its rules. */
export function createAepActivities(trust: WorkerTrust) {
  return underTrust(
    {
      aepTenantId,
      aepEnsureFieldGroup,
      aepEnsureSchema,
      aepEnsureDataset,
      aepEnsureSourceConnection,
      aepEnsureTargetConnection,
      aepEnsureMappingSet,
      aepEnsureFlow,
      aepInletUrl,
      aepUpdateMappingSet,
      aepPatchFlow,
      aepPatchSourceConnection,
      aepListRuns,
      aepDelete,
    },
    trust,
  );
}
