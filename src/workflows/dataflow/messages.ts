import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DeleteArgs, UpdateAccountArgs, UpdateArgs } from './schema';
import type { DataflowState } from './types';

// One JSON object per handler, so a person can type it into the Temporal UI.

/** `{"name"?: "...", "description"?: "...", "mappings"?: [{"source", "destination", "sourceType"?}], "reason"?}` */
export const dataflowUpdateSignal = defineSignal<[UpdateArgs]>('update');
/** `{"name"?: "...", "description"?: "...", "reason"?}`: the Pendo source connection. */
export const dataflowUpdateAccountSignal = defineSignal<[UpdateAccountArgs]>('updateAccount');
/** `{"reason"?: "..."}`: tears everything down, then the workflow completes. */
export const dataflowDeleteSignal = defineSignal<[DeleteArgs?]>('delete');

export const dataflowStateQuery = defineQuery<DataflowState>('state');
