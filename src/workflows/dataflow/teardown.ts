import { CancellationScope } from '@temporalio/workflow';
import type { RemovedResource } from './types';
import { aepActs } from './proxies';
import { readFailure } from '../common/failures';
import type { DataflowRun } from './state';
import { sagaStep, teardownOrder } from './steps';

/**
 * Removes every resource the dataflow holds, dependents first, each as its step in the saga (steps.ts) says:
 * the mapping set is reported as kept, since Data Prep has no DELETE. Each delete is one activity and a
 * 404 counts as done. Non-cancellable: cleanup must finish even when the workflow is being cancelled.
 * Returns what happened to each resource, also appended to `state.removed`.
 */
export function removeAll(run: DataflowRun): Promise<RemovedResource[]> {
  return CancellationScope.nonCancellable(async () => {
    const { state, spec } = run;
    const done: RemovedResource[] = [];
    const record = (removal: Omit<RemovedResource, 'at'>) => {
      const entry = { ...removal, at: new Date().toISOString() };
      done.push(entry);
      state.removed.push(entry);
    };
    for (const stepState of teardownOrder(state.steps)) {
      const id = stepState.id as string;
      const { compensation, afterRemoval } = sagaStep(stepState.step);
      if (typeof compensation !== 'object') {
        stepState.status = 'kept';
        record({ step: stepState.step, id, name: stepState.name, outcome: 'kept' });
        continue;
      }
      stepState.status = 'removing';
      run.refresh();
      try {
        const { existed } = await aepActs.aepDelete({ aep: spec.aep, kind: compensation.delete, id });
        stepState.status = 'removed';
        record({ step: stepState.step, id, name: stepState.name, outcome: existed ? 'deleted' : 'alreadyGone' });
        afterRemoval?.(state);
      } catch (err) {
        const failure = readFailure(err, Date.now());
        stepState.status = 'failed';
        stepState.error = failure.info;
        state.lastError = { ...failure.info, during: `removing ${stepState.step}` };
        record({ step: stepState.step, id, name: stepState.name, outcome: 'failed', error: failure.info.message });
      }
      run.refresh();
    }
    return done;
  });
}

/** `deleted flows 1f2e…, already gone dataSets 63dc…, kept mappingSet a1b2… (Data Prep has no DELETE)` */
export function describeRemoved(removed: readonly RemovedResource[]): string {
  if (removed.length === 0) return 'nothing had been created';
  const words: Record<RemovedResource['outcome'], string> = {
    deleted: 'deleted',
    alreadyGone: 'already gone',
    kept: 'kept',
    failed: 'could not delete',
  };
  return removed
    .map((r) => `${words[r.outcome]} ${r.step} ${r.id}${r.outcome === 'kept' ? ' (Data Prep has no DELETE)' : ''}`)
    .join(', ');
}
