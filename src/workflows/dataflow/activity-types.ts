import type { DataflowMapping } from './fields';
import type { DeletableKind } from './steps';
import type { AepTarget } from './types';

export interface AepCall {
  aep: AepTarget;
}

/** A find-or-create: `owner` (the workflow ID) marks descriptions, so only our own resources are adopted. */
export interface EnsureCall extends AepCall {
  owner: string;
  name: string;
}

export interface EnsureFieldGroupInput extends EnsureCall {
  tenantId: string;
}

export interface EnsureSchemaInput extends EnsureCall {
  fieldGroupId: string;
}

export interface EnsureDatasetInput extends EnsureCall {
  schemaId: string;
}

export interface EnsureSourceInput extends EnsureCall {
  description: string;
}

export interface EnsureTargetInput extends EnsureCall {
  schemaId: string;
  datasetId: string;
}

export interface MappingSetInput extends AepCall {
  schemaId: string;
  tenantId: string;
  mappings: DataflowMapping[];
}

export interface EnsureMappingSetInput extends MappingSetInput {
  name: string;
}

export interface UpdateMappingSetInput extends MappingSetInput {
  mappingId: string;
}

export interface EnsureFlowInput extends EnsureCall {
  description: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  mappingId: string;
  mappingVersion: number;
}

/** Desired values; fields left out are not touched. */
export interface PatchFlowInput extends AepCall {
  flowId: string;
  name?: string;
  description?: string;
  mapping?: { id: string; version: number };
}

export interface PatchSourceInput extends AepCall {
  sourceConnectionId: string;
  name?: string;
  description?: string;
}

export interface DeleteInput extends AepCall {
  kind: DeletableKind;
  id: string;
}

export interface Ref {
  id: string;
}
export interface EtagRef {
  id: string;
  etag: string;
}
export interface MappingRef {
  id: string;
  version: number;
}

export interface PatchResult {
  etag: string;
  /** False when AEP already held the desired values. */
  applied: boolean;
  /** PATCH attempts; above 1 means a 412 was re-read and re-applied. */
  attempts: number;
}
