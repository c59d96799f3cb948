import {
  dataLakeTargetConnectionBody,
  datasetBody,
  pendoSourceConnectionBody,
  type FlowServiceKind,
  type AepClients,
} from '../../aep';
import type {
  EnsureDatasetInput,
  EnsureSourceInput,
  EnsureTargetInput,
  EtagRef,
  Ref,
} from '../../workflows/dataflow/activity-types';
import { isOwnedBy, withOwner } from '../../workflows/dataflow/names';
import { withAep } from './context';
import { nameTaken } from './failures';

const LABELS: Record<FlowServiceKind, string> = {
  connections: 'Base connection',
  sourceConnections: 'Source connection',
  targetConnections: 'Target connection',
  flows: 'Flow',
};

/** Flow Service names are not unique and no create takes an idempotency key: look up by name first. */
export async function ensureFlowService(
  c: AepClients,
  kind: FlowServiceKind,
  name: string,
  owner: string,
  create: () => object,
  signal: AbortSignal,
): Promise<EtagRef> {
  const found = await c.flowService.findByName(kind, name, signal);
  if (found) {
    if (!isOwnedBy(found.description, owner)) throw nameTaken(LABELS[kind], name, owner);
    return { id: found.id, etag: found.etag };
  }
  return c.flowService.create(kind, create(), signal);
}

/**
 * The dataset of the target schema. Idempotency key: its name. Permanent: AepValidation, AepNameTaken.
 * Returns its id.
 */
export async function aepEnsureDataset(input: EnsureDatasetInput): Promise<Ref> {
  return withAep(input.aep, async (c, signal) => {
    const found = await c.catalog.findDatasetByName(input.name, signal);
    if (found) {
      if (!isOwnedBy(found.description, input.owner)) throw nameTaken('Dataset', input.name, input.owner);
      return { id: found.id };
    }
    const description = withOwner('Pendo webhook events.', input.owner);
    return { id: await c.catalog.createDataset(datasetBody({ ...input, description }), signal) };
  });
}

/**
 * The Pendo source connection (the Pendo "account"; no base connection). Idempotency key: its name.
 * Permanent: AepValidation, AepNameTaken. Returns id and etag.
 */
export async function aepEnsureSourceConnection(input: EnsureSourceInput): Promise<EtagRef> {
  const description = withOwner(input.description, input.owner);
  return withAep(input.aep, (c, signal) =>
    ensureFlowService(
      c,
      'sourceConnections',
      input.name,
      input.owner,
      () => pendoSourceConnectionBody({ name: input.name, description }),
      signal,
    ),
  );
}

/**
 * The data-lake target connection into the dataset. Idempotency key: its name. Permanent: AepValidation,
 * AepNotFound (dataset gone), AepNameTaken. Returns id and etag.
 */
export async function aepEnsureTargetConnection(input: EnsureTargetInput): Promise<EtagRef> {
  const description = withOwner('Pendo events into the data lake.', input.owner);
  return withAep(input.aep, (c, signal) =>
    ensureFlowService(
      c,
      'targetConnections',
      input.name,
      input.owner,
      () => dataLakeTargetConnectionBody({ ...input, description }),
      signal,
    ),
  );
}
