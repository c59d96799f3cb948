import type { DeleteInput } from '../../workflows/dataflow/activity-types';
import { withAep } from './context';

/**
 * Deletes one resource by id. Idempotent: 404 (or Catalog's empty answer) counts as done and returns
 * `existed: false`. Permanent: AepResourceInUse (dependents first), AepPermissionDenied.
 */
export async function aepDelete({ aep, kind, id }: DeleteInput): Promise<{ existed: boolean }> {
  return withAep(aep, async (c, signal) => {
    switch (kind) {
      case 'dataSets':
        return { existed: await c.catalog.deleteDataset(id, signal) };
      case 'schemas':
      case 'fieldgroups':
        return { existed: await c.schemaRegistry.delete(kind, id, signal) };
      default:
        return { existed: await c.flowService.delete(kind, id, signal) };
    }
  });
}
