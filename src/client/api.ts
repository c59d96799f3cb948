/**
 * pendoflow's typed client API for scripts: `import { PendoflowClient } from 'pendoflow/client'`.
 * The workflow ids, inputs and message definitions are the ones the workflows themselves use.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { loadRuntimeConfig, type RuntimeConfig } from '../config/runtime';
import type { CaptureSpec, CaptureStatus } from '../workflows/capture/types';
import type { DataflowState } from '../workflows/dataflow/types';
import { pauseSignal, reconfigureSignal, resumeSignal, stopSignal } from '../workflows/capture/messages';
import type { ReconfigureArgs } from '../workflows/capture/messages';
import { pipelineStateQuery, pipelineStopSignal } from '../workflows/pipeline/messages';
import { pipelineWorkflowId } from '../workflows/pipeline/ids';
import type { PipelineSpec, PipelineState } from '../workflows/pipeline/types';
import { captureWorkflowId } from '../workflows/capture/ids';
import { freshCaptureStatus, startCaptureWith } from './commands/capture/control';
import { resolveDataflowId } from './commands/dataflow/control';
import { startPipelineWith } from './commands/pipeline/control';
import { connectClient } from './connect';
import { dataflowStateQuery } from '../workflows/dataflow/messages';
import type { UpdateAccountArgs, UpdateArgs } from '../workflows/dataflow/schema';
import { reconfigureByUpdate, updateAccountByUpdate, updateFlowByUpdate } from './updates';

export { loadCaptureFile, parseCaptureDocument, ConfigError } from '../config/load';
export { loadPipelineFile, parsePipelineDocument } from '../config/pipeline-load';
export { loadDataflowFile, parseDataflowDocument } from '../config/dataflow-load';
export { bindingWorkflowId, captureWorkflowId } from '../workflows/capture/ids';
export { pipelineWorkflowId } from '../workflows/pipeline/ids';
export { dataflowWorkflowId } from '../workflows/dataflow/ids';
export * from '../workflows/capture/messages';
export * from '../workflows/pipeline/messages';
export * from '../workflows/dataflow/messages';
export type * from '../workflows/capture/types';
export type * from '../workflows/pipeline/types';
export type * from '../workflows/dataflow/types';
export type { ResourceName } from '../resources';
export type { UpdateAccountArgs, UpdateArgs } from '../workflows/dataflow/schema';
export { ChangeRejectedError } from './updates';

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** How often to ask (default 1 s). */
  pollMs?: number;
}

/** One connection to Temporal, configured like the CLI (TEMPORAL_*, PENDOFLOW_*), with the worker's codec. */
export class PendoflowClient {
  private constructor(
    /** The underlying Temporal client, for anything this API does not wrap. */
    readonly temporal: Client,
    readonly runtime: RuntimeConfig,
    private readonly closeConnection: () => Promise<void>,
  ) {}

  static async connect(env: NodeJS.ProcessEnv = process.env): Promise<PendoflowClient> {
    const runtime = loadRuntimeConfig(env);
    const { client, close } = await connectClient(runtime);
    return new PendoflowClient(client, runtime, close);
  }

  close(): Promise<void> {
    return this.closeConnection();
  }

  /** Starts a capture; one already running with that name is left unchanged (`started: false`). */
  async startCapture(spec: CaptureSpec): Promise<{ workflowId: string; started: boolean }> {
    const started = await startCaptureWith(this.temporal, spec, this.runtime);
    return { workflowId: captureWorkflowId(spec.name), started };
  }

  /** The capture's status, with each running binding's live numbers from its own workflow. */
  captureStatus(name: string): Promise<CaptureStatus> {
    return freshCaptureStatus(this.temporal, name);
  }

  /**
   * Reconfigures by the `reconfigureAndWait` Update: what `change` leaves out stays as it is. Resolves to the new
   * status; a refused change throws ChangeRejectedError naming the field, and changes nothing.
   */
  reconfigureCapture(name: string, change: ReconfigureArgs): Promise<CaptureStatus> {
    return reconfigureByUpdate(this.temporal, name, change);
  }

  /** The same change by the `reconfigure` signal, fire-and-forget: a refusal shows in `lastRejectedReconfigure`. */
  async signalReconfigure(name: string, change: ReconfigureArgs): Promise<void> {
    await this.temporal.workflow.getHandle(captureWorkflowId(name)).signal(reconfigureSignal, change);
  }

  async pauseCapture(name: string, reason?: string): Promise<void> {
    await this.temporal.workflow.getHandle(captureWorkflowId(name)).signal(pauseSignal, { reason });
  }

  async resumeCapture(name: string, reason?: string): Promise<void> {
    await this.temporal.workflow.getHandle(captureWorkflowId(name)).signal(resumeSignal, { reason });
  }

  async stopCapture(name: string, reason?: string): Promise<void> {
    await this.temporal.workflow.getHandle(captureWorkflowId(name)).signal(stopSignal, { reason });
  }

  /** Polls the `status` query until `until` holds; the error names what it waited for. */
  waitForCapture(
    name: string,
    until: (status: CaptureStatus) => boolean,
    opts: WaitOptions & { what?: string } = {},
  ): Promise<CaptureStatus> {
    return poll(opts.what ?? `capture ${name}`, () => this.captureStatus(name), until, opts);
  }

  /** Starts a pipeline (its dataflow, then a capture into its inlet); one already running is left unchanged. */
  async startPipeline(spec: PipelineSpec): Promise<{ workflowId: string; started: boolean }> {
    const started = await startPipelineWith(this.temporal, spec, this.runtime);
    return { workflowId: pipelineWorkflowId(spec.name), started };
  }

  pipelineState(name: string): Promise<PipelineState> {
    return this.temporal.workflow.getHandle(pipelineWorkflowId(name)).query(pipelineStateQuery);
  }

  /** Waits until the pipeline's dataflow is provisioned, and returns its inlet URL; fails if the pipeline fails. */
  async waitForInlet(name: string, opts: WaitOptions = {}): Promise<string> {
    const state = await poll(
      `the inlet of pipeline ${name}`,
      () => this.pipelineState(name),
      (current) => {
        if (current.phase === 'failed')
          throw new Error(`pipeline ${name} failed: ${current.lastError?.message ?? 'see its workflow'}`);
        return current.dataflow?.inletUrl !== null && current.dataflow?.inletUrl !== undefined;
      },
      opts,
    );
    return state.dataflow?.inletUrl as string;
  }

  async stopPipeline(name: string, reason?: string): Promise<PipelineState> {
    const handle = this.temporal.workflow.getHandle(pipelineWorkflowId(name));
    await handle.signal(pipelineStopSignal, { reason });
    return (await handle.result()) as PipelineState;
  }

  /** Updates the flow (name, description, mappings) by Update, once applied: the new state, with the flow's new etag. */
  async updateDataflow(name: string, change: UpdateArgs, sandbox?: string): Promise<DataflowState> {
    return updateFlowByUpdate(this.temporal, await resolveDataflowId(this.temporal, name, sandbox), change);
  }

  /** Updates the Pendo source connection's name or description by Update, once applied: the new state. */
  async updateDataflowAccount(name: string, change: UpdateAccountArgs, sandbox?: string): Promise<DataflowState> {
    return updateAccountByUpdate(this.temporal, await resolveDataflowId(this.temporal, name, sandbox), change);
  }

  /** The dataflow's state; its sandbox is found by search attribute when not given. */
  async dataflowState(name: string, sandbox?: string): Promise<DataflowState> {
    const workflowId = await resolveDataflowId(this.temporal, name, sandbox);
    return this.temporal.workflow.getHandle(workflowId).query(dataflowStateQuery);
  }
}

/** Asks `read` until `until` holds. A failing read (the workflow may not exist yet) is asked again; `until` may throw to stop. */
async function poll<Value>(
  what: string,
  read: () => Promise<Value>,
  until: (value: Value) => boolean,
  opts: WaitOptions,
): Promise<Value> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let why = '';
    const value = await read().catch((err: unknown) => {
      why = `: ${err instanceof Error ? err.message : String(err)}`;
      return undefined;
    });
    if (value !== undefined && until(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    await sleep(opts.pollMs ?? 1000);
  }
}
