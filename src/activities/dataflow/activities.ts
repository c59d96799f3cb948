import type { WorkerTrust } from '../../config/trust';
import { underTrust } from './context';
import { aepDelete } from './delete';
import { aepEnsureFlow, aepInletUrl, aepListRuns, aepPatchFlow, aepPatchSourceConnection } from './flow';
import { aepEnsureDataset, aepEnsureSourceConnection, aepEnsureTargetConnection } from './connections';
import { aepEnsureMappingSet, aepUpdateMappingSet } from './mapping';
import { aepEnsureFieldGroup, aepEnsureSchema, aepTenantId } from './schema';

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
