import { proxyActivities } from '@temporalio/workflow';
import type { BindingWatchActivities } from '../activities/binding-watch';

/** Asks Temporal how binding workflows closed (null for each still running); read-only, so retries are safe. */
export const { bindingOutcomes } = proxyActivities<BindingWatchActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
});

/**
 * How long a capture waits without hearing from a running binding before it asks Temporal whether that binding's
 * workflow is still there: twice the interval, within [10 s, 5 min]. A terminated workflow cannot report itself.
 */
export function silenceLimitMs(intervalMs: number): number {
  return Math.min(300_000, Math.max(10_000, 2 * intervalMs));
}
