import { proxyActivities } from '@temporalio/workflow';
import type { BindingWatchActivities } from '../../activities/capture/binding-watch';

/** Asks Temporal how binding workflows closed (null for each still running); read-only, so retries are safe. */
export const { bindingOutcomes } = proxyActivities<BindingWatchActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
});

/**
 * How long a capture waits without hearing from a running binding before it asks Temporal whether that binding's
 * workflow is still there: ten intervals, within [10 s, 10 min]. A terminated workflow cannot report itself, and a
 * binding in steady state reports only when its state changes, so this check is what a quiet binding costs.
 */
export function silenceLimitMs(intervalMs: number): number {
  return Math.min(600_000, Math.max(10_000, 10 * intervalMs));
}
