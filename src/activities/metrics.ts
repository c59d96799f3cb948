import { ApplicationFailure, metricMeter } from '@temporalio/activity';
import type { StepTarget } from '../workflows/capture/activity-types';

/** pendoflow's own Prometheus series, beside Temporal's; the README lists them. */
export const METRIC_NAMES = {
  documents: 'pendoflow_documents_captured',
  errors: 'pendoflow_capture_errors',
  lag: 'pendoflow_capture_lag_seconds',
  shrinks: 'pendoflow_capture_shrinks',
  delivered: 'pendoflow_messages_delivered',
  deadLettered: 'pendoflow_messages_dead_lettered',
  deadLetters: 'pendoflow_dead_letters',
  pending: 'pendoflow_messages_pending',
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

/** Messages the AEP inlet accepted, and those it refused one by one (dead-lettered), by one delivery. */
export function countDelivery(input: StepTarget, r: { sent: number; rejected: number }): void {
  metricMeter
    .createCounter(METRIC_NAMES.delivered, 'messages', 'Messages the AEP inlet accepted')
    .add(r.sent, tags(input));
  metricMeter
    .createCounter(METRIC_NAMES.deadLettered, 'messages', 'Messages the AEP inlet refused one by one, dead-lettered')
    .add(r.rejected, tags(input));
}

/** What a pipeline's deliveries stand at: dead letters waiting for a replay, and messages not yet delivered. */
export function gaugeDelivery(pipeline: string, s: { deadLettered: number; pending: number }): void {
  metricMeter
    .createGauge(METRIC_NAMES.deadLetters, 'int', 'messages', 'Dead letters waiting for a replay')
    .set(s.deadLettered, { pipeline });
  metricMeter
    .createGauge(METRIC_NAMES.pending, 'int', 'messages', 'Captured messages not yet accepted nor dead-lettered')
    .set(s.pending, { pipeline });
}
