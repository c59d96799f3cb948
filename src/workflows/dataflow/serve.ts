import { sameMappings } from './fields';
import { withOwner } from './names';
import type { ParsedUpdate, ParsedUpdateAccount } from './schema';
import { aepActs, monitorActs } from './proxies';
import { readFailure } from '../common/failures';
import type { DataflowRun } from './state';
import { idOf, stepOf } from './steps';

const RUNS_KEPT = 5;

/** Work a signal or Update leaves for the main loop, so AEP calls happen one at a time, in order. */
export type DataflowCommand = (
  { kind: 'update'; args: ParsedUpdate } | { kind: 'updateAccount'; args: ParsedUpdateAccount }
) & {
  /** Set by an Update, which waits for this command's outcome. */
  ticket?: number;
};

/** How a command ended: null when applied, else why not. */
export type CommandOutcome = { type: string; message: string } | null;

/** A failed update is recorded in `lastError`; the dataflow stays ready. */
async function applying(run: DataflowRun, during: string, fn: () => Promise<void>): Promise<CommandOutcome> {
  run.setPhase('updating');
  try {
    await fn();
    run.state.updatesApplied += 1;
    return null;
  } catch (err) {
    const failure = readFailure(err, Date.now());
    run.state.lastError = { ...failure.info, during };
    return failure.info;
  } finally {
    run.setPhase('ready');
  }
}

/** A new mapping version when the mappings change, then one PATCH of the flow (If-Match; a 412 is re-applied). */
function update(run: DataflowRun, args: ParsedUpdate): Promise<CommandOutcome> {
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
    const patched = await aepActs.aepPatchFlow({
      aep: spec.aep,
      flowId: idOf(state, 'flow'),
      name: args.name,
      description: args.description === undefined ? undefined : withOwner(args.description, owner),
      mapping,
    });
    stepOf(state, 'flow').etag = patched.etag;
    state.flowName = args.name ?? state.flowName;
    state.flowDescription = args.description ?? state.flowDescription;
    state.lastApplied = {
      signal: 'update',
      at: new Date().toISOString(),
      changed: patched.applied,
      patchAttempts: patched.attempts,
    };
  });
}

/** The Pendo "account" is its source connection: PATCH its name and description. */
function updateAccount(run: DataflowRun, args: ParsedUpdateAccount): Promise<CommandOutcome> {
  const { spec, state, owner } = run;
  return applying(run, 'updateAccount', async () => {
    const patched = await aepActs.aepPatchSourceConnection({
      aep: spec.aep,
      sourceConnectionId: idOf(state, 'sourceConnection'),
      name: args.name,
      description: args.description === undefined ? undefined : withOwner(args.description, owner),
    });
    stepOf(state, 'sourceConnection').etag = patched.etag;
    state.account = {
      name: args.name ?? state.account.name,
      description: args.description ?? state.account.description,
    };
    state.lastApplied = {
      signal: 'updateAccount',
      at: new Date().toISOString(),
      changed: patched.applied,
      patchAttempts: patched.attempts,
    };
  });
}

export const applyCommand = (run: DataflowRun, command: DataflowCommand): Promise<CommandOutcome> =>
  command.kind === 'update' ? update(run, command.args) : updateAccount(run, command.args);

/** Reads the flow's latest runs; a failure is recorded and the next tick tries again. */
export async function monitor(run: DataflowRun): Promise<void> {
  const { spec, state } = run;
  try {
    state.lastRuns = await monitorActs.aepListRuns({ aep: spec.aep, flowId: idOf(state, 'flow'), limit: RUNS_KEPT });
    state.lastMonitoredAt = new Date().toISOString();
    // AEP answers again: a monitoring failure is no longer current.
    if (state.lastError?.during === 'monitoring') state.lastError = null;
  } catch (err) {
    const failure = readFailure(err, Date.now());
    state.lastError = { ...failure.info, during: 'monitoring' };
  }
  state.nextMonitorAtMs = Date.now() + spec.monitorIntervalMs;
  run.refresh();
}
