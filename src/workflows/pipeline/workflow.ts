import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryActivities } from '../../activities/pipeline/delivery';
import type { PipelineActivities } from '../../activities/pipeline/activities';
import type { CaptureSpec } from '../capture/types';
import { dataflowDeleteSignal } from '../dataflow/messages';
import { dataflowWorkflowId } from '../dataflow/ids';
import { stopSignal } from '../capture/messages';
import {
  pipelineDeleteSignal,
  pipelineReplayDeadLettersUpdate,
  pipelineStateQuery,
  pipelineStopSignal,
  legacyPipelineNames,
} from './messages';
import type { PipelineSpec, PipelineState } from './types';
import { AEP_DATAFLOW, AEP_SANDBOX, CAPTURE_NAME, CAPTURE_STATE } from '../common/search-attributes';
import { captureStaticDetails, dataflowStaticDetails } from '../common/static-details';
import { captureWorkflowId } from '../capture/ids';
import { capture } from '../capture/workflow';
import { dataflow } from '../dataflow/workflow';
import { pipelineDetails } from './details';

export interface PipelineInput {
  spec: PipelineSpec;
  carried?: PipelineState;
}

const { describeDataflow, describeCapture } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

const { describeDelivery } = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
const { replayDeadLetters } = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 },
});

const READY_POLL_MS = 2000;

/**
 * Pendo into AEP: provisions (or adopts) the dataflow, waits for its inlet, then runs a capture whose sink is
 * that inlet. Both run as their own workflows, abandoned on close, so each stays operable on its own; this one
 * watches them, stops the capture when the dataflow goes away, and shows both in one `pipelineState` query.
 */
export async function pipeline(input: PipelineInput): Promise<PipelineState> {
  const { spec } = input;
  const dataflowId = dataflowWorkflowId(spec.dataflow.aep.sandbox, spec.dataflow.name);
  const captureId = captureWorkflowId(spec.capture.name);
  const state: PipelineState = input.carried ?? {
    name: spec.name,
    phase: 'provisioning',
    dataflow: null,
    capture: null,
    lastError: null,
    updatedAt: new Date().toISOString(),
  };
  // Handlers only record what was asked; the main loop acts on it.
  const asked: { request: 'stop' | 'delete' | null } = { request: null };

  setHandler(pipelineStateQuery, () => state, {
    description: 'The dataflow (phase, inlet, runs) and the capture (bindings).',
  });
  setHandler(legacyPipelineNames.stateQuery, () => state, { description: 'Old name of pipelineState (kept).' });
  setHandler(pipelineStopSignal, () => void (asked.request ??= 'stop'), {
    description: 'Stops the capture; the dataflow stays.',
  });
  setHandler(pipelineDeleteSignal, () => void (asked.request = 'delete'), {
    description: 'Stops the capture, then deletes the dataflow and everything it created.',
  });
  const deliveryInput = {
    pipeline: spec.name,
    bindings: spec.capture.bindings.map((b) => ({ resource: b.resource, target: b.target })),
  };
  setHandler(
    pipelineReplayDeadLettersUpdate,
    async () => {
      const dataflowState = state.dataflow as NonNullable<PipelineState['dataflow']>;
      const replayed = await replayDeadLetters({
        ...deliveryInput,
        inlet: { inletUrl: dataflowState.inletUrl as string, flowId: dataflowState.flowId as string },
      });
      state.delivery = await describeDelivery(deliveryInput);
      return replayed;
    },
    {
      description: "Sends the dead letters to the inlet again; accepted ones leave the worker's dead-letter store.",
      validator: () => {
        if (!state.dataflow?.inletUrl || !state.dataflow.flowId || state.phase !== 'streaming') {
          throw new Error(`pipeline ${spec.name} is ${state.phase}: dead letters replay only while it streams`);
        }
      },
    },
  );

  const refresh = async () => {
    state.dataflow = (await describeDataflow(dataflowId)) ?? state.dataflow;
    state.capture = (await describeCapture(captureId)) ?? state.capture;
    // A pipeline started before delivery counts existed replays without this activity.
    if (state.capture && patched('pipeline-delivery-status')) state.delivery = await describeDelivery(deliveryInput);
    state.updatedAt = new Date().toISOString();
    setCurrentDetails(pipelineDetails(state));
  };

  if (state.phase === 'provisioning') {
    await adopt(() =>
      startChild(dataflow, {
        workflowId: dataflowId,
        args: [{ spec: spec.dataflow }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: [
          { key: AEP_SANDBOX, value: spec.dataflow.aep.sandbox },
          { key: AEP_DATAFLOW, value: spec.dataflow.name },
        ],
        staticSummary: `AEP dataflow ${spec.dataflow.name} in ${spec.dataflow.aep.sandbox} (pipeline ${spec.name})`,
        staticDetails: dataflowStaticDetails(spec.dataflow),
      }),
    );
    for (;;) {
      await refresh();
      const dataflowState = state.dataflow;
      if (dataflowState?.phase === 'ready' && dataflowState.inletUrl && dataflowState.flowId) break;
      if (
        dataflowState &&
        (dataflowState.closed || dataflowState.phase === 'failed' || dataflowState.phase === 'deleted')
      ) {
        state.phase = 'failed';
        state.lastError = {
          type: 'DataflowFailed',
          message: dataflowState.lastError?.message ?? `the dataflow is ${dataflowState.phase}`,
          at: new Date().toISOString(),
        };
        setCurrentDetails(pipelineDetails(state));
        throw ApplicationFailure.nonRetryable(state.lastError.message, state.lastError.type);
      }
      if (await condition(() => asked.request !== null, READY_POLL_MS)) break;
    }
    if (asked.request === null) {
      const dataflowState = state.dataflow as NonNullable<PipelineState['dataflow']>;
      const captureSpec: CaptureSpec = {
        ...spec.capture,
        sink: { kind: 'aepInlet', inletUrl: dataflowState.inletUrl as string, flowId: dataflowState.flowId as string },
      };
      await adopt(() =>
        startChild(capture, {
          workflowId: captureId,
          args: [{ spec: captureSpec }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: [
            { key: CAPTURE_NAME, value: spec.capture.name },
            { key: CAPTURE_STATE, value: 'running' },
          ],
          staticSummary: `Pendo capture ${spec.capture.name} → AEP flow ${dataflowState.flowId}`,
          staticDetails: captureStaticDetails(captureSpec),
        }),
      );
      state.phase = 'streaming';
    }
  }

  while (asked.request === null) {
    await refresh();
    const dataflowState = state.dataflow;
    // Deleting the dataflow (from here or on its own) ends the pipeline: nothing could receive the data.
    if (
      !dataflowState ||
      dataflowState.closed ||
      dataflowState.phase === 'deleting' ||
      dataflowState.phase === 'deleted'
    )
      asked.request = 'stop';
    else if (state.capture?.closed) break;
    else await condition(() => asked.request !== null, spec.monitorIntervalMs);
    if (asked.request === null && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof pipeline>({ spec, carried: state });
    }
  }

  state.phase = asked.request === 'delete' ? 'deleting' : 'stopping';
  setCurrentDetails(pipelineDetails(state));
  await signalIfRunning(() =>
    getExternalWorkflowHandle(captureId).signal(stopSignal, { reason: `pipeline ${asked.request ?? 'stop'}` }),
  );
  await waitUntil(async () => (await describeCapture(captureId))?.closed ?? true);
  if (asked.request === 'delete') {
    await signalIfRunning(() =>
      getExternalWorkflowHandle(dataflowId).signal(dataflowDeleteSignal, { reason: 'pipeline delete' }),
    );
    await waitUntil(async () => (await describeDataflow(dataflowId))?.closed ?? true);
  }
  await refresh();
  state.phase = asked.request === 'delete' ? 'deleted' : 'stopped';
  setCurrentDetails(pipelineDetails(state));
  await condition(allHandlersFinished);
  return state;

  async function waitUntil(done: () => Promise<boolean>): Promise<void> {
    while (!(await done())) await condition(() => false, READY_POLL_MS);
  }
}

/** Starts a child, or adopts the one already running under that ID. */
async function adopt(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

async function signalIfRunning(send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch {
    // Already closed: nothing to stop.
  }
}
