import { sameMappings } from './fields';
import { withOwner } from './names';
import type { ParsedUpdate, ParsedUpdateAccount } from './schema';
import { aepActs, monitorActs } from './proxies';
import { describeAepFailure } from './failures';
import { idOf, stepOf, type DataflowRun } from './state';

const RUNS_KEPT = 5;

/** Work a signal leaves for the main loop, so AEP calls happen one at a time, in order. */
export type DataflowCommand =
  { kind: 'update'; args: ParsedUpdate } | { kind: 'updateAccount'; args: ParsedUpdateAccount };

/** A failed update is recorded in `lastError`; the dataflow stays ready. */
async function applying(run: DataflowRun, during: string, fn: () => Promise<void>): Promise<void> {
  run.setPhase('updating');
  try {
    await fn();
    run.state.updatesApplied += 1;
  } catch (err) {
    const failure = describeAepFailure(err, Date.now());
    run.state.lastError = { ...failure.info, during };
  } finally {
    run.setPhase('ready');
  }
}

/** A new mapping version when the mappings change, then one PATCH of the flow (If-Match; a 412 is re-applied). */
function update(run: DataflowRun, args: ParsedUpdate): Promise<void> {
  const { spec, state, owner } = run;
  return applying(run, 'update', async () => {
    const mappingStep = stepOf(state, 'mappingSet');
    let mapping = { id: idOf(state, 'mappingSet'), version: mappingStep.version ?? 0 };
    if (args.mappings && !sameMappings(args.mappings, state.mappings)) {
      mapping = await aepActs.aepUpdateMappingSet({
        aep: spec.aep,
        mappingId: mapping.id,
        schemaId: idOf(state, 'schema'),
        tenantId: idOf(state, 'tenant'),
        mappings: args.mappings,
      });
      mappingStep.version = mapping.version;
      state.mappings = args.mappings;
    }
    const r = await aepActs.aepPatchFlow({
      aep: spec.aep,
      flowId: idOf(state, 'flow'),
      name: args.name,
      description: args.description === undefined ? undefined : withOwner(args.description, owner),
      mapping,
    });
    stepOf(state, 'flow').etag = r.etag;
    state.flowName = args.name ?? state.flowName;
    state.flowDescription = args.description ?? state.flowDescription;
    state.lastApplied = {
      signal: 'update',
      at: new Date().toISOString(),
      changed: r.applied,
      patchAttempts: r.attempts,
    };
  });
}

/** The Pendo "account" is its source connection: PATCH its name and description. */
function updateAccount(run: DataflowRun, args: ParsedUpdateAccount): Promise<void> {
  const { spec, state, owner } = run;
  return applying(run, 'updateAccount', async () => {
    const r = await aepActs.aepPatchSourceConnection({
      aep: spec.aep,
      sourceConnectionId: idOf(state, 'sourceConnection'),
      name: args.name,
      description: args.description === undefined ? undefined : withOwner(args.description, owner),
    });
    stepOf(state, 'sourceConnection').etag = r.etag;
    state.account = {
      name: args.name ?? state.account.name,
      description: args.description ?? state.account.description,
    };
    state.lastApplied = {
      signal: 'updateAccount',
      at: new Date().toISOString(),
      changed: r.applied,
      patchAttempts: r.attempts,
    };
  });
}

export const applyCommand = (run: DataflowRun, c: DataflowCommand): Promise<void> =>
  c.kind === 'update' ? update(run, c.args) : updateAccount(run, c.args);

/** Reads the flow's latest runs; a failure is recorded and the next tick tries again. */
export async function monitor(run: DataflowRun): Promise<void> {
  const { spec, state } = run;
  try {
    state.lastRuns = await monitorActs.aepListRuns({ aep: spec.aep, flowId: idOf(state, 'flow'), limit: RUNS_KEPT });
    state.lastMonitoredAt = new Date().toISOString();
    // AEP answers again: a monitoring failure is no longer current.
    if (state.lastError?.during === 'monitoring') state.lastError = null;
  } catch (err) {
    const failure = describeAepFailure(err, Date.now());
    state.lastError = { ...failure.info, during: 'monitoring' };
  }
  state.nextMonitorAtMs = Date.now() + spec.monitorIntervalMs;
  run.refresh();
}
