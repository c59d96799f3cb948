import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BindingSpec, BindingStatus, CaptureSettings, CaptureStatus } from './types';
import type { ResourceName } from '../../resources';

// Every handler takes one JSON object, so a person can type it into the Temporal UI.

export interface ControlArgs {
  /** Why, for the history and the logs. */
  reason?: string;
}

/** Partial settings: only the fields given change. */
export interface SettingsPatch {
  startMs?: number;
  intervalMs?: number;
  limits?: Partial<CaptureSettings['limits']>;
  lateData?: Partial<CaptureSettings['lateData']>;
}

export interface ReconfigureArgs {
  /** The complete new binding list; bindings not listed are stopped, new ones started. */
  bindings?: BindingSpec[];
  settings?: SettingsPatch;
  reason?: string;
}

export interface ReconfigureBindingArgs {
  settings: CaptureSettings;
  /** Every binding of the capture, which share its request budget. Absent from older captures. */
  siblings?: ResourceName[];
}

export interface SlowDownArgs {
  /** The binding whose window met a 429. */
  from: ResourceName;
}

/** Fire-and-forget: a refused argument lands in `status.lastRejectedReconfigure`. */
export const reconfigureSignal = defineSignal<[ReconfigureArgs]>('reconfigure');
/** The same change as `reconfigure`, answered: the new status, or the rejection naming the field. */
export const reconfigureUpdate = defineUpdate<CaptureStatus, [ReconfigureArgs]>('reconfigureAndWait');
/** Sent by the capture to each of its bindings when the settings change. */
export const bindingSettingsSignal = defineSignal<[ReconfigureBindingArgs]>('applySettings');
export const pauseSignal = defineSignal<[ControlArgs?]>('pause');
export const resumeSignal = defineSignal<[ControlArgs?]>('resume');
export const stopSignal = defineSignal<[ControlArgs?]>('stop');
/** Sent by a binding to its siblings when Pendo answered it 429: each halves its windows in flight for a while. */
export const slowDownSignal = defineSignal<[SlowDownArgs]>('slowDown');
/** Sent by a binding workflow to its capture after each step, so one query shows every binding. */
export const bindingReportSignal = defineSignal<[BindingStatus]>('bindingReport');

export const captureStatusQuery = defineQuery<CaptureStatus>('captureStatus');
export const bindingStatusQuery = defineQuery<BindingStatus>('bindingStatus');

/**
 * Old names, still handled for running deployments: captures started before `applySettings` signal their bindings
 * `reconfigure`, and scripts written before the renames query `status`. Nothing new sends or asks them.
 */
export const legacyCaptureNames = {
  bindingReconfigureSignal: defineSignal<[ReconfigureBindingArgs]>('reconfigure'),
  captureStatusQuery: defineQuery<CaptureStatus>('status'),
  bindingStatusQuery: defineQuery<BindingStatus>('status'),
} as const;
