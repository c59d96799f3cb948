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
import { DataflowErrorType } from './errors';
import {
  dataflowDeleteSignal,
  dataflowStateQuery,
  dataflowUpdateAccountSignal,
  dataflowUpdateSignal,
} from './messages';
import { DeleteArgsSchema, describeIssues, UpdateAccountArgsSchema, UpdateArgsSchema } from './schema';
import type { Schema } from '../common/validate';
import type { DataflowInput, DataflowPhase, DataflowState } from './types';
import { AEP_DATAFLOW, AEP_PHASE, AEP_SANDBOX } from '../common/search-attributes';
import { dataflowDetails } from './details';
import { provision } from './provision';
import { applyCommand, monitor, type DataflowCommand } from './serve';
import { initialState, type DataflowRun } from './state';
import { describeRemoved, removeAll } from './teardown';

export type { DataflowInput } from './types';

/**
 * One AEP streaming dataflow for the Pendo source (`aep-dataflow:<sandbox>:<name>`): a provisioning saga, then an
 * entity that applies `update` / `updateAccount`, monitors flow runs, and tears everything down on `delete`.
 * Handlers only validate and enqueue; the main loop does every AEP call, one at a time. Continue-as-new carries
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

  /** Validates a signal's argument; a refused one is recorded in `lastRejected` and changes nothing else. */
  function accept<T>(signal: string, schema: Schema<T>, args: unknown): T | undefined {
    const parsed = schema.safeParse(args ?? {});
    const closing = state.deleteRequested !== null || ['deleting', 'deleted', 'failed'].includes(state.phase);
    const why = !parsed.success
      ? { type: 'InvalidSignal', message: describeIssues(parsed.error) }
      : closing && signal !== 'delete'
        ? {
            type: 'DataflowClosing',
            message: `the dataflow is ${state.phase === 'deleted' ? 'deleted' : 'being deleted'}`,
          }
        : undefined;
    if (!why && parsed.success) return parsed.data;
    if (!why) return undefined;
    state.lastRejected = { ...why, signal, at: new Date().toISOString() };
    log.warn('signal rejected', { signal, why: why.message });
    refresh();
    return undefined;
  }

  setHandler(dataflowStateQuery, () => state, {
    description: 'Phase, each step with id/etag/status, inlet URL, last runs, last error and last rejected signal.',
  });
  setHandler(
    dataflowUpdateSignal,
    (args) => {
      const parsed = accept('update', UpdateArgsSchema, args);
      if (parsed) inbox.push({ kind: 'update', args: parsed });
    },
    {
      description:
        'Updates the flow: {"name"?: "...", "description"?: "...", "mappings"?: [{"source": "uniqueId", ' +
        '"destination": "uniqueId", "sourceType"?: "ATTRIBUTE"}]}. New mappings become a new mapping-set version.',
    },
  );
  setHandler(
    dataflowUpdateAccountSignal,
    (args) => {
      const parsed = accept('updateAccount', UpdateAccountArgsSchema, args);
      if (parsed) inbox.push({ kind: 'updateAccount', args: parsed });
    },
    { description: 'Renames or redescribes the Pendo source connection: {"name"?: "...", "description"?: "..."}.' },
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
      inbox.length = 0;
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
      await applyCommand(run, command);
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
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
