import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setDefaultSignalHandler,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { BindingSpec, BindingStatus, CaptureSpec, CaptureState, CaptureStatus, ErrorInfo } from './types';
import {
  bindingReportSignal,
  bindingSettingsSignal,
  captureStatusQuery,
  legacyCaptureNames,
  pauseSignal,
  type ReconfigureArgs,
  reconfigureSignal,
  reconfigureUpdate,
  resumeSignal,
  stopSignal,
} from './messages';
import { INVALID_RECONFIGURE, planReconfigure, reconfigureRejection } from './reconfigure';
import { CAPTURE_NAME, CAPTURE_STATE, PENDO_RESOURCE } from '../common/search-attributes';
import { bindingStaticDetails } from '../common/static-details';
import { bindingWorkflowId } from './ids';
import { CLOSED_STATES, withOutcome } from './binding-progress';
import { bindingOutcomes, silenceLimitMs } from './binding-watch';
import { captureBinding } from './binding';
import { historyFull } from './history-budget';
import { captureDetails } from './details';

export interface CaptureInput {
  spec: CaptureSpec;
  /** Carried across continue-as-new. */
  carried?: { paused: boolean; statuses: BindingStatus[]; lastRejected?: ErrorInfo | null };
}

const STOP_GRACE_MS = 10 * 60_000;

/** Runs started before this patch signal their bindings the old name; replaying them must send it again. */
const BINDING_SETTINGS_PATCH = 'binding-settings-signal';
const settingsSignal = () =>
  patched(BINDING_SETTINGS_PATCH) ? bindingSettingsSignal : legacyCaptureNames.bindingReconfigureSignal;

/**
 * One Pendo capture: starts a child workflow per binding, forwards reconfigure, pause, resume and stop to them,
 * and gathers their reports so one `captureStatus` query shows every binding. Children are abandoned rather than
 * terminated when this workflow continues-as-new, and the next run signals them by workflow ID. A binding that
 * closed without reporting it (terminated, say) is found when a signal to it fails, when the child it started
 * ends, or when it has been silent too long, and then shows how it closed.
 */
export async function capture(input: CaptureInput): Promise<CaptureStatus> {
  let spec = input.spec;
  let paused = input.carried?.paused ?? false;
  let state: CaptureState = paused ? 'paused' : 'running';
  let lastRejected: ErrorInfo | null = input.carried?.lastRejected ?? null;
  const statuses = new Map<string, BindingStatus>((input.carried?.statuses ?? []).map((s) => [s.resource, s]));
  // Work the handlers leave for the main loop, so every signal to a child is sent in order from one place.
  const outbox: { to: BindingSpec; send: 'pause' | 'resume' | 'stop' | 'settings' }[] = [];
  const toStart: BindingSpec[] = spec.bindings.filter((b) => !statuses.has(b.resource));
  let stopping = false;
  // Bindings heard from since the silence timer started; one silent for a whole period is asked after. Decided on
  // the order of events, not on the workflow clock, which can differ on replay after a timed-out workflow task.
  const heard = new Set<string>();
  const toCheck = new Set<string>();

  const status = (): CaptureStatus => ({
    capture: spec.name,
    state,
    intervalMs: spec.settings.intervalMs,
    lateDataMode: spec.settings.lateData.mode,
    bindings: spec.bindings.map((b) => statuses.get(b.resource) ?? placeholder(spec, b)),
    lastRejectedReconfigure: lastRejected,
  });
  const refresh = () => setCurrentDetails(captureDetails(status()));

  setHandler(captureStatusQuery, status, {
    description: 'Every binding: state, cursor, backfill, documents, errors, lag.',
  });
  setHandler(legacyCaptureNames.captureStatusQuery, status, { description: 'Old name of captureStatus (kept).' });
  // Bindings report through the default handler: the UI offers the signals of `__temporal_workflow_metadata`,
  // which lists named handlers only, so users are not offered this internal one.
  setDefaultSignalHandler((name, ...args) => {
    if (name !== bindingReportSignal.name) return log.warn('unknown signal ignored', { signal: name });
    const report = args[0] as BindingStatus;
    if (!spec.bindings.some((b) => b.resource === report.resource)) return;
    statuses.set(report.resource, report);
    heard.add(report.resource);
    refresh();
  });
  setHandler(
    pauseSignal,
    () => {
      paused = true;
      spec.bindings.forEach((to) => outbox.push({ to, send: 'pause' }));
    },
    { description: 'Pauses every binding after its current step. Argument: {"reason": "..."} (optional).' },
  );
  setHandler(
    resumeSignal,
    () => {
      paused = false;
      spec.bindings.forEach((to) => outbox.push({ to, send: 'resume' }));
    },
    { description: 'Resumes every binding. Argument: {"reason": "..."} (optional).' },
  );
  setHandler(stopSignal, () => void (stopping = true), {
    description: 'Stops every binding after its current step, then completes. Argument: {"reason": "..."} (optional).',
  });
  /** Takes a checked `reconfigure`: the main loop then stops, starts and re-sets the bindings it names. */
  function takeReconfigure(args: ReconfigureArgs): void {
    const plan = planReconfigure(spec, args);
    spec = plan.spec;
    lastRejected = null;
    for (const old of plan.stopped) {
      outbox.push({ to: old, send: 'stop' });
      statuses.delete(old.resource);
    }
    toStart.push(...plan.started);
    plan.resettled.forEach((to) => outbox.push({ to, send: 'settings' }));
  }
  const reconfigureHelp =
    'Changes bindings and settings. Argument: {"bindings": [{"resource": "Page", "target": "acme/Page"}], ' +
    '"settings": {"intervalMs": 60000, "startMs": 0, "limits": {...}, "lateData": {"mode": "rescan", ...}}}';
  setHandler(
    reconfigureSignal,
    (args) => {
      const rejection = reconfigureRejection(args, spec);
      if (rejection) {
        // Only a short summary is kept: a refused argument never reaches state, details or continue-as-new input.
        lastRejected = { type: INVALID_RECONFIGURE, message: rejection.message, at: new Date().toISOString() };
        log.warn('reconfigure rejected', { why: rejection.message });
        return;
      }
      takeReconfigure(args);
    },
    { description: `${reconfigureHelp}. Fire-and-forget: a refused one shows in the status query.` },
  );
  setHandler(
    reconfigureUpdate,
    (args) => {
      // The validator ran on this very state; checked again so a bad argument can never fail the workflow task.
      const rejection = reconfigureRejection(args, spec);
      if (rejection) throw rejection;
      takeReconfigure(args);
      return status();
    },
    {
      // A validator that throws rejects the Update before anything enters history; it must not change state.
      validator: (args) => {
        const rejection = reconfigureRejection(args, spec);
        if (rejection) throw rejection;
      },
      description: `${reconfigureHelp}. Answers with the new status, or rejects naming the field.`,
    },
  );

  async function startBinding(b: BindingSpec): Promise<void> {
    try {
      const child = await startChild(captureBinding, {
        workflowId: bindingWorkflowId(spec.name, b.resource),
        args: [
          {
            capture: spec.name,
            binding: b,
            endpoint: spec.endpoint,
            settings: spec.settings,
            sink: spec.sink,
            parentWorkflowId: workflowInfo().workflowId,
            paused,
            siblings: spec.bindings.map((s) => s.resource),
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: [
          { key: CAPTURE_NAME, value: spec.name },
          { key: PENDO_RESOURCE, value: b.resource },
          { key: CAPTURE_STATE, value: 'starting' },
        ],
        staticSummary: `Pendo ${b.resource} → ${b.target}`,
        staticDetails: bindingStaticDetails(spec.name, b, spec),
      });
      void child.result().catch(() => toCheck.add(b.resource));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    if (!statuses.has(b.resource)) statuses.set(b.resource, placeholder(spec, b));
  }

  async function deliver(): Promise<void> {
    while (toStart.length) await startBinding(toStart.shift() as BindingSpec);
    while (outbox.length) {
      const { to, send } = outbox.shift() as (typeof outbox)[number];
      const child = getExternalWorkflowHandle(bindingWorkflowId(spec.name, to.resource));
      try {
        if (send === 'settings') {
          const siblings = spec.bindings.map((s) => s.resource);
          await child.signal(settingsSignal(), { settings: spec.settings, siblings });
        } else await child.signal(send === 'pause' ? pauseSignal : send === 'resume' ? resumeSignal : stopSignal, {});
      } catch (err) {
        log.warn('binding did not take a signal', { resource: to.resource, send, error: String(err) });
        toCheck.add(to.resource);
      }
    }
  }

  const open = () => spec.bindings.filter((b) => !CLOSED_STATES.has(statuses.get(b.resource)?.state ?? 'starting'));

  /** Asks Temporal how the bindings in `toCheck` closed, if they did, and shows it in their status. */
  async function checkBindings(): Promise<void> {
    const list = spec.bindings.filter((b) => toCheck.has(b.resource));
    toCheck.clear();
    if (list.length === 0) return;
    let outcomes;
    try {
      outcomes = await bindingOutcomes(list.map((b) => bindingWorkflowId(spec.name, b.resource)));
    } catch (err) {
      log.warn('could not learn whether bindings are running', { error: String(err) });
      return;
    }
    list.forEach((b, i) => {
      heard.add(b.resource);
      const outcome = outcomes[i];
      if (outcome) statuses.set(b.resource, withOutcome(statuses.get(b.resource) ?? placeholder(spec, b), outcome));
    });
    refresh();
  }

  const setState = (next: CaptureState) => {
    if (next !== state) upsertSearchAttributes([{ key: CAPTURE_STATE, value: next }]);
    state = next;
    refresh();
  };

  for (;;) {
    await deliver();
    await checkBindings();
    setState(stopping ? 'stopping' : paused ? 'paused' : 'running');
    if (stopping) break;
    heard.clear();
    const woke = await condition(
      () => stopping || toStart.length > 0 || outbox.length > 0 || toCheck.size > 0 || historyFull(workflowInfo()),
      silenceLimitMs(spec.settings.intervalMs),
    );
    if (!woke) {
      open()
        .filter((b) => statuses.get(b.resource)?.state !== 'paused' && !heard.has(b.resource))
        .forEach((b) => toCheck.add(b.resource));
    }
    const idle = toStart.length === 0 && outbox.length === 0 && toCheck.size === 0;
    if (historyFull(workflowInfo()) && !stopping && idle) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof capture>({
        spec,
        carried: { paused, statuses: [...statuses.values()], lastRejected },
      });
    }
  }

  spec.bindings.forEach((to) => outbox.push({ to, send: 'stop' }));
  await deliver();
  // A binding that is already gone does not hold the stop up: its stop signal failed, so it is checked at once.
  const periodMs = silenceLimitMs(spec.settings.intervalMs);
  const closed = () => open().length === 0;
  for (let waitedMs = 0; ; waitedMs += periodMs) {
    await checkBindings();
    if (closed() || waitedMs >= STOP_GRACE_MS) break;
    if (!(await condition(closed, periodMs))) open().forEach((b) => toCheck.add(b.resource));
  }
  setState('stopped');
  return status();
}

function placeholder(spec: CaptureSpec, b: BindingSpec): BindingStatus {
  return {
    capture: spec.name,
    resource: b.resource,
    target: b.target,
    state: 'starting',
    cursor: null,
    backfill: null,
    documents: 0,
    lastPollAt: null,
    lastError: null,
    lagSeconds: null,
    rescans: 0,
    shrinks: 0,
  };
}
