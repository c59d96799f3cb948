import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DataflowErrorType } from '../common/errors';
import {
  dataflowDeleteSignal,
  dataflowStateQuery,
  dataflowUpdateAccountSignal,
  dataflowUpdateAccountUpdate,
  dataflowUpdateFlowUpdate,
  dataflowUpdateSignal,
  legacyDataflowNames,
} from './messages';
import { DeleteArgsSchema, UpdateAccountArgsSchema, UpdateArgsSchema, type UpdateArgs } from './schema';
import { changeFailure, checkChange, type DataflowChange } from './checks';
import type { Schema } from '../common/validate';
import type { DataflowInput, DataflowPhase, DataflowState } from './types';
import { AEP_DATAFLOW, AEP_PHASE, AEP_SANDBOX } from '../common/search-attributes';
import { dataflowDetails } from './details';
import { provision } from './provision';
import { applyCommand, monitor, type CommandOutcome, type DataflowCommand } from './serve';
import { initialState, type DataflowRun } from './state';
import { describeRemoved, removeAll } from './teardown';

export type { DataflowInput } from './types';

/**
 * One AEP streaming dataflow for the Pendo source (`aep-dataflow:<sandbox>:<name>`): a provisioning saga, then an
 * entity that applies `updateFlow` / `updateAccount` (signals, or Updates that answer once applied), monitors flow
 * runs, and tears everything down on `delete`. Handlers only validate and enqueue (an Update then waits for its
 * outcome); the main loop does every AEP call, one at a time. Continue-as-new carries
 * the state (ids, etags, status), never documents or secrets in clear.
 */
export async function dataflow(input: DataflowInput): Promise<DataflowState> {
  const { spec } = input;
  const owner = workflowInfo().workflowId;
  const state = input.carried ?? initialState(spec, owner);
  const inbox: DataflowCommand[] = [];

  const refresh = () => setCurrentDetails(dataflowDetails(state));
  const setPhase = (phase: DataflowPhase) => {
    if (phase !== state.phase) upsertSearchAttributes([{ key: AEP_PHASE, value: phase }]);
    state.phase = phase;
    refresh();
  };
  const run: DataflowRun = { spec, state, owner, setPhase, refresh };
  const settle = (command: DataflowCommand, outcome: CommandOutcome) => {
    if (command.ticket !== undefined) outcomes.set(command.ticket, outcome);
  };

  /** Validates a signal's argument; a refused one is recorded in `lastRejected` and changes nothing else. */
  function accept<Args>(change: DataflowChange, schema: Schema<Args>, args: unknown): Args | undefined {
    const checked = checkChange(change, schema, args, state);
    if (checked.ok) return checked.args;
    state.lastRejected = { type: checked.type, message: checked.message, signal: change, at: new Date().toISOString() };
    log.warn('signal rejected', { signal: change, why: checked.message });
    refresh();
    return undefined;
  }
  /** A validator: throws the rejection, which reaches the caller and leaves no trace in history. */
  function validate<Args>(change: DataflowChange, schema: Schema<Args>, args: unknown): Args {
    const checked = checkChange(change, schema, args, state);
    if (!checked.ok) throw changeFailure(change, checked);
    return checked.args;
  }
  // Updates wait for the main loop to apply their command; a ticket tells each its outcome.
  const outcomes = new Map<number, CommandOutcome>();
  let tickets = 0;
  async function applyAndWait(command: DataflowCommand): Promise<DataflowState> {
    tickets += 1;
    const ticket = tickets;
    inbox.push({ ...command, ticket });
    await condition(() => outcomes.has(ticket));
    const outcome = outcomes.get(ticket);
    outcomes.delete(ticket);
    if (outcome) throw changeFailure(command.kind, outcome);
    return state;
  }

  setHandler(dataflowStateQuery, () => state, {
    description: 'Phase, each step with id/etag/status, inlet URL, last runs, last error and last rejected signal.',
  });
  setHandler(legacyDataflowNames.stateQuery, () => state, { description: 'Old name of dataflowState (kept).' });
  const takeUpdate = (args: UpdateArgs) => {
    const parsed = accept('update', UpdateArgsSchema, args);
    if (parsed) inbox.push({ kind: 'update', args: parsed });
  };
  const updateHelp =
    'Updates the flow: {"name"?: "...", "description"?: "...", "mappings"?: [{"source": "uniqueId", ' +
    '"destination": "uniqueId", "sourceType"?: "ATTRIBUTE"}]}. New mappings become a new mapping-set version.';
  setHandler(dataflowUpdateSignal, takeUpdate, { description: `${updateHelp} Fire-and-forget.` });
  setHandler(legacyDataflowNames.updateSignal, takeUpdate, { description: 'Old name of updateFlow (kept).' });
  setHandler(
    dataflowUpdateFlowUpdate,
    (args) => applyAndWait({ kind: 'update', args: validate('update', UpdateArgsSchema, args) }),
    {
      validator: (args) => void validate('update', UpdateArgsSchema, args),
      description: `${updateHelp} Answers once applied with the new state, or why not.`,
    },
  );
  const accountHelp = 'Renames or redescribes the Pendo source connection: {"name"?: "...", "description"?: "..."}.';
  setHandler(
    dataflowUpdateAccountSignal,
    (args) => {
      const parsed = accept('updateAccount', UpdateAccountArgsSchema, args);
      if (parsed) inbox.push({ kind: 'updateAccount', args: parsed });
    },
    { description: `${accountHelp} Fire-and-forget.` },
  );
  setHandler(
    dataflowUpdateAccountUpdate,
    (args) => applyAndWait({ kind: 'updateAccount', args: validate('updateAccount', UpdateAccountArgsSchema, args) }),
    {
      validator: (args) => void validate('updateAccount', UpdateAccountArgsSchema, args),
      description: `${accountHelp} Answers once applied with the new state, or why not.`,
    },
  );
  setHandler(
    dataflowDeleteSignal,
    (args) => {
      const parsed = accept('delete', DeleteArgsSchema, args);
      if (parsed && state.deleteRequested === null) {
        state.deleteRequested = { reason: parsed.reason ?? null, at: new Date().toISOString() };
      }
    },
    { description: 'Deletes every AEP resource of the dataflow, then completes: {"reason"?: "..."}.' },
  );

  upsertSearchAttributes([
    { key: AEP_SANDBOX, value: spec.aep.sandbox },
    { key: AEP_DATAFLOW, value: spec.name },
    { key: AEP_PHASE, value: state.phase },
  ]);
  refresh();

  if (state.phase === 'provisioning') {
    let outcome: Awaited<ReturnType<typeof provision>>;
    try {
      outcome = await provision(run);
    } catch (err) {
      if (!isCancellation(err)) throw err;
      setPhase('compensating');
      await removeAll(run);
      setPhase('failed');
      throw err;
    }
    if (typeof outcome === 'object') {
      setPhase('compensating');
      const removed = await removeAll(run);
      setPhase('failed');
      throw ApplicationFailure.nonRetryable(
        `provisioning ${spec.name} failed at step ${outcome.step}: ${outcome.failure.info.message} ` +
          `Compensation: ${describeRemoved(removed)}.`,
        DataflowErrorType.ProvisioningFailed,
      );
    }
    if (outcome === 'ready') setPhase('ready');
  }

  for (;;) {
    if (state.deleteRequested) {
      for (const dropped of inbox.splice(0))
        settle(dropped, { type: 'DataflowClosing', message: 'the dataflow is being deleted' });
      setPhase('deleting');
      const removed = await removeAll(run);
      const failed = removed.filter((r) => r.outcome === 'failed');
      if (failed.length > 0) {
        setPhase('failed');
        throw ApplicationFailure.nonRetryable(
          `deleting ${spec.name} left resources behind: ${describeRemoved(failed)}`,
          DataflowErrorType.TeardownFailed,
        );
      }
      setPhase('deleted');
      return state;
    }
    const command = inbox.shift();
    if (command) {
      settle(command, await applyCommand(run, command));
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      // An Update waits for the loop to apply its command, so a command arriving now is applied first.
      await condition(() => allHandlersFinished() || inbox.length > 0);
      if (inbox.length === 0 && state.deleteRequested === null) {
        await continueAsNew<typeof dataflow>({ spec, carried: state });
      }
      continue;
    }
    if (Date.now() >= state.nextMonitorAtMs) {
      await monitor(run);
      continue;
    }
    await condition(
      () => inbox.length > 0 || state.deleteRequested !== null || workflowInfo().continueAsNewSuggested,
      Math.max(1, state.nextMonitorAtMs - Date.now()),
    );
  }
}
