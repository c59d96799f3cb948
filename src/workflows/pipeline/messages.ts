import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ControlArgs } from '../capture/messages';
import type { PipelineState, ReplaySummary } from './types';

/** `{"reason"?: "..."}`: stops the capture; the dataflow stays. */
export const pipelineStopSignal = defineSignal<[ControlArgs?]>('stop');
/** `{"reason"?: "..."}`: stops the capture, then deletes the dataflow. */
export const pipelineDeleteSignal = defineSignal<[ControlArgs?]>('delete');
export const pipelineStateQuery = defineQuery<PipelineState>('pipelineState');
/** Sends the pipeline's dead letters to its inlet again; answers what was accepted and what was refused again. */
export const pipelineReplayDeadLettersUpdate = defineUpdate<ReplaySummary>('replayDeadLetters');

/** The old name of `pipelineState`, still answered for old scripts; nothing new asks it. */
export const legacyPipelineNames = { stateQuery: defineQuery<PipelineState>('state') } as const;
