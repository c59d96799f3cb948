import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeleteArgs, UpdateAccountArgs, UpdateArgs } from './schema';
import type { DataflowState } from './types';

// One JSON object per handler, so a person can type it into the Temporal UI.

/** `{"name"?: "...", "description"?: "...", "mappings"?: [{"source", "destination", "sourceType"?}], "reason"?}` */
export const dataflowUpdateSignal = defineSignal<[UpdateArgs]>('updateFlow');
/** `{"name"?: "...", "description"?: "...", "reason"?}`: the Pendo source connection. */
export const dataflowUpdateAccountSignal = defineSignal<[UpdateAccountArgs]>('updateAccount');
/** `{"reason"?: "..."}`: tears everything down, then the workflow completes. */
export const dataflowDeleteSignal = defineSignal<[DeleteArgs?]>('delete');
/** `updateFlow`, answered once applied: the new state (the flow's new etag), or why it was refused or failed. */
export const dataflowUpdateFlowUpdate = defineUpdate<DataflowState, [UpdateArgs]>('updateFlowAndWait');
/** `updateAccount`, answered once applied: the new state, or why it was refused or failed. */
export const dataflowUpdateAccountUpdate = defineUpdate<DataflowState, [UpdateAccountArgs]>('updateAccountAndWait');

export const dataflowStateQuery = defineQuery<DataflowState>('dataflowState');

/** Old names, still handled for running deployments and old scripts; nothing new sends or asks them. */
export const legacyDataflowNames = {
  updateSignal: defineSignal<[UpdateArgs]>('update'),
  stateQuery: defineQuery<DataflowState>('state'),
} as const;
