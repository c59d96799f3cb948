import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ControlArgs } from './messages';
import type { PipelineState } from './pipeline-types';

export const pipelineWorkflowId = (name: string): string => `pendo-pipeline:${name}`;

/** `{"reason"?: "..."}`: stops the capture; the dataflow stays. */
export const pipelineStopSignal = defineSignal<[ControlArgs?]>('stop');
/** `{"reason"?: "..."}`: stops the capture, then deletes the dataflow. */
export const pipelineDeleteSignal = defineSignal<[ControlArgs?]>('delete');
export const pipelineStateQuery = defineQuery<PipelineState>('state');
