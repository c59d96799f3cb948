import { condition, log } from '@temporalio/workflow';
import type { StepName, StepState } from './types';
import { aepActs, inletActs } from './proxies';
import { describeAepFailure, type AepStepFailure } from './failures';
import { idOf, stepOf, type DataflowRun } from './state';

/** After a step's retries are spent on transient errors, wait this long and run it again. */
const STEP_RETRY_DELAY_MS = 30_000;

type StepOutcome = 'done' | 'interrupted' | AepStepFailure;

/** Each step is one activity; ids and etags go into the step's state, where later steps read them. */
const ACTIONS: Record<StepName, (run: DataflowRun, s: StepState) => Promise<void>> = {
  tenant: async ({ spec }, s) => {
    s.id = await aepActs.aepTenantId({ aep: spec.aep });
  },
  fieldGroup: async ({ spec, state, owner }, s) => {
    const tenantId = idOf(state, 'tenant');
    s.id = (await aepActs.aepEnsureFieldGroup({ aep: spec.aep, owner, name: s.name as string, tenantId })).id;
  },
  schema: async ({ spec, state, owner }, s) => {
    const fieldGroupId = idOf(state, 'fieldGroup');
    s.id = (await aepActs.aepEnsureSchema({ aep: spec.aep, owner, name: s.name as string, fieldGroupId })).id;
  },
  dataset: async ({ spec, state, owner }, s) => {
    const schemaId = idOf(state, 'schema');
    s.id = (await aepActs.aepEnsureDataset({ aep: spec.aep, owner, name: s.name as string, schemaId })).id;
  },
  sourceConnection: async ({ spec, state, owner }, s) => {
    const r = await aepActs.aepEnsureSourceConnection({
      aep: spec.aep,
      owner,
      name: s.name as string,
      description: state.account.description,
    });
    [s.id, s.etag] = [r.id, r.etag];
  },
  targetConnection: async ({ spec, state, owner }, s) => {
    const r = await aepActs.aepEnsureTargetConnection({
      aep: spec.aep,
      owner,
      name: s.name as string,
      schemaId: idOf(state, 'schema'),
      datasetId: idOf(state, 'dataset'),
    });
    [s.id, s.etag] = [r.id, r.etag];
  },
  mappingSet: async ({ spec, state }, s) => {
    const r = await aepActs.aepEnsureMappingSet({
      aep: spec.aep,
      name: s.name as string,
      schemaId: idOf(state, 'schema'),
      tenantId: idOf(state, 'tenant'),
      mappings: state.mappings,
    });
    [s.id, s.version] = [r.id, r.version];
  },
  flow: async ({ spec, state, owner }, s) => {
    const r = await aepActs.aepEnsureFlow({
      aep: spec.aep,
      owner,
      name: s.name as string,
      description: state.flowDescription,
      sourceConnectionId: idOf(state, 'sourceConnection'),
      targetConnectionId: idOf(state, 'targetConnection'),
      mappingId: idOf(state, 'mappingSet'),
      mappingVersion: stepOf(state, 'mappingSet').version ?? 0,
    });
    [s.id, s.etag] = [r.id, r.etag];
  },
  inlet: async ({ spec, state }, s) => {
    s.id = await inletActs.aepInletUrl({ aep: spec.aep, flowId: idOf(state, 'flow') });
    state.inletUrl = s.id;
  },
};

/** Runs one step until it succeeds, fails for good, or a delete request interrupts the wait between tries. */
async function runStep(run: DataflowRun, s: StepState): Promise<StepOutcome> {
  for (;;) {
    s.status = 'running';
    run.refresh();
    try {
      await ACTIONS[s.step](run, s);
      s.status = 'done';
      s.error = null;
      run.refresh();
      return 'done';
    } catch (err) {
      const failure = describeAepFailure(err, Date.now());
      s.error = failure.info;
      run.state.lastError = { ...failure.info, during: `provisioning ${s.step}` };
      s.status = failure.permanent ? 'failed' : 'retrying';
      run.refresh();
      if (failure.permanent) return failure;
      log.warn('provisioning step will be retried', { step: s.step, error: failure.info.message });
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
): Promise<'ready' | 'interrupted' | { step: StepName; failure: AepStepFailure }> {
  for (const s of run.state.steps) {
    if (s.status === 'done') continue;
    if (run.state.deleteRequested) return 'interrupted';
    const outcome = await runStep(run, s);
    if (outcome === 'interrupted') return outcome;
    if (outcome !== 'done') return { step: s.step, failure: outcome };
  }
  return 'ready';
}
