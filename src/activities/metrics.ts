import { ApplicationFailure, metricMeter } from '@temporalio/activity';
import type { StepTarget } from '../shared/activity-types';

/** pendoflow's own Prometheus series, beside Temporal's; the README lists them. */
export const METRIC_NAMES = {
  documents: 'pendoflow_documents_captured',
  errors: 'pendoflow_capture_errors',
  lag: 'pendoflow_capture_lag_seconds',
  shrinks: 'pendoflow_capture_shrinks',
} as const;

const tags = (input: StepTarget) => ({ capture: input.capture, resource: input.resource });

export function countDocuments(input: StepTarget, n: number): void {
  metricMeter
    .createCounter(METRIC_NAMES.documents, 'documents', 'Documents written to collections')
    .add(n, tags(input));
}

export function countShrinks(input: StepTarget, n: number): void {
  if (n === 0) return;
  metricMeter
    .createCounter(
      METRIC_NAMES.shrinks,
      'shrinks',
      'Hours or snapshots that shrank sharply, confirmed by a second read',
    )
    .add(n, tags(input));
}

export function countError(input: StepTarget, err: unknown): void {
  const type = err instanceof ApplicationFailure ? (err.type ?? 'Error') : err instanceof Error ? err.name : 'Error';
  metricMeter
    .createCounter(METRIC_NAMES.errors, 'errors', 'Failed capture steps, by failure type')
    .add(1, { ...tags(input), type });
}
