import { ApplicationFailure } from '@temporalio/workflow';
import type { ReconfigureArgs } from './messages';
import type { BindingSpec, CaptureSpec } from './types';
import { ReconfigureArgsSchema } from './reconfigure-schema';
import { reconfigureProblem } from './reconfigure-check';

/** What a taken `reconfigure` changes: the new spec, and which bindings stop, start, or get the new settings. */
export interface ReconfigurePlan {
  spec: CaptureSpec;
  stopped: BindingSpec[];
  started: BindingSpec[];
  resettled: BindingSpec[];
}

/** The error type of a refused `reconfigure`, in `lastRejectedReconfigure` and in a rejected Update. */
export const INVALID_RECONFIGURE = 'InvalidReconfigure';

/**
 * The one check of a `reconfigure`, for the signal and the Update alike: undefined when taken, else the failure a
 * rejected Update answers with (its message names the field, e.g. `settings.intervalMs: ...`).
 */
export function reconfigureRejection(args: unknown, spec: CaptureSpec): ApplicationFailure | undefined {
  const why = reconfigureProblem(args, spec);
  return why === undefined
    ? undefined
    : ApplicationFailure.create({ type: INVALID_RECONFIGURE, message: why, nonRetryable: true });
}

/** Applies a checked `reconfigure` (see reconfigureRejection) to `spec`; settings not given keep their values. */
export function planReconfigure(spec: CaptureSpec, args: ReconfigureArgs | undefined): ReconfigurePlan {
  const { bindings, settings } = ReconfigureArgsSchema.parse(args ?? {});
  const next: CaptureSpec = {
    ...spec,
    bindings: bindings ?? spec.bindings,
    settings: settings
      ? {
          ...spec.settings,
          ...settings,
          limits: { ...spec.settings.limits, ...settings.limits },
          lateData: { ...spec.settings.lateData, ...settings.lateData },
        }
      : spec.settings,
  };
  const had = (list: BindingSpec[], b: BindingSpec) => list.some((o) => o.resource === b.resource);
  return {
    spec: next,
    stopped: spec.bindings.filter((old) => !had(next.bindings, old)),
    started: next.bindings.filter((b) => !had(spec.bindings, b)),
    resettled: settings ? next.bindings.filter((b) => had(spec.bindings, b)) : [],
  };
}
