import { condition, log } from '@temporalio/workflow';
import type { StepState } from './types';
import { readFailure, type ReadFailure } from '../common/failures';
import type { DataflowRun } from './state';
import { sagaStep, type StepName } from './steps';

/** After a step's retries are spent on transient errors, wait this long and run it again. */
const STEP_RETRY_DELAY_MS = 30_000;

type StepOutcome = 'done' | 'interrupted' | ReadFailure;

/** Runs one step until it succeeds, fails for good, or a delete request interrupts the wait between tries. */
async function runStep(run: DataflowRun, stepState: StepState): Promise<StepOutcome> {
  for (;;) {
    stepState.status = 'running';
    run.refresh();
    try {
      await sagaStep(stepState.step).action(run, stepState);
      stepState.status = 'done';
      stepState.error = null;
      run.refresh();
      return 'done';
    } catch (err) {
      const failure = readFailure(err, Date.now());
      stepState.error = failure.info;
      run.state.lastError = { ...failure.info, during: `provisioning ${stepState.step}` };
      stepState.status = failure.retryable ? 'retrying' : 'failed';
      run.refresh();
      if (!failure.retryable) return failure;
      log.warn('provisioning step will be retried', { step: stepState.step, error: failure.info.message });
      if (await condition(() => run.state.deleteRequested !== null, STEP_RETRY_DELAY_MS)) return 'interrupted';
    }
  }
}

/**
 * Provisions the steps not yet done, in order. Returns 'ready', 'interrupted' (a delete arrived), or the
 * permanent failure of the step that could not be completed.
 */
export async function provision(
  run: DataflowRun,
): Promise<'ready' | 'interrupted' | { step: StepName; failure: ReadFailure }> {
  for (const stepState of run.state.steps) {
    if (stepState.status === 'done') continue;
    if (run.state.deleteRequested) return 'interrupted';
    const outcome = await runStep(run, stepState);
    if (outcome === 'interrupted') return outcome;
    if (outcome !== 'done') return { step: stepState.step, failure: outcome };
  }
  return 'ready';
}
