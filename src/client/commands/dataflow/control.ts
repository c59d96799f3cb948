import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { RuntimeConfig } from '../../../config/runtime';
import { secretSource } from '../../../config/secrets';
import { sameMappings } from '../../../workflows/dataflow/fields';
import { dataflowDeleteSignal, dataflowStateQuery } from '../../../workflows/dataflow/messages';
import { dataflowWorkflowId } from '../../../workflows/dataflow/ids';
import type { UpdateAccountArgs, UpdateArgs } from '../../../workflows/dataflow/schema';
import type { DataflowSpec, DataflowState } from '../../../workflows/dataflow/types';
import { AEP_DATAFLOW, AEP_PHASE, AEP_SANDBOX } from '../../../workflows/common/search-attributes';
import { dataflowStaticDetails } from '../../../workflows/common/static-details';
import { dataflow } from '../../../workflows';
import { connectClient } from '../../connect';
import { startOnce } from '../../start-once';
import { updateAccountByUpdate, updateFlowByUpdate } from '../../updates';

/** Refuses to put an inline client secret into a workflow input that is not encrypted. */
export function assertDataflowSecretsSafe(spec: DataflowSpec, runtime: RuntimeConfig): void {
  if (secretSource(spec.aep.clientSecret) === 'inline' && !runtime.encryptionKey) {
    throw new Error(
      `${spec.name}: clientSecret is inline, and would be stored in the workflow history in clear. ` +
        'Use env:NAME or file:PATH (resolved on the worker), or set PENDOFLOW_ENCRYPTION_KEY on the worker and the CLI.',
    );
  }
}

export async function withClient<T>(runtime: RuntimeConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, close } = await connectClient(runtime);
  try {
    return await fn(client);
  } finally {
    await close();
  }
}

/** Starts the dataflow; one already running is left unchanged. */
export async function createDataflow(spec: DataflowSpec, runtime: RuntimeConfig): Promise<'started' | 'running'> {
  assertDataflowSecretsSafe(spec, runtime);
  const { sandbox } = spec.aep;
  return withClient(runtime, async (client) => {
    const started = await startOnce(client, dataflow, {
      workflowId: dataflowWorkflowId(sandbox, spec.name),
      taskQueue: runtime.taskQueue,
      args: [{ spec }],
      typedSearchAttributes: [
        { key: AEP_SANDBOX, value: sandbox },
        { key: AEP_DATAFLOW, value: spec.name },
        { key: AEP_PHASE, value: 'provisioning' },
      ],
      staticSummary: `Pendo → AEP streaming dataflow ${spec.name} (sandbox ${sandbox})`,
      staticDetails: dataflowStaticDetails(spec),
    });
    return started ? 'started' : 'running';
  });
}

/** The workflow ID of NAME: in `sandbox` when given, else the one the search attributes find (running first). */
export async function resolveDataflowId(client: Client, name: string, sandbox?: string): Promise<string> {
  if (sandbox) return dataflowWorkflowId(sandbox, name);
  const found: { id: string; running: boolean }[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'dataflow' AND AepDataflow = '${name}'` })) {
    found.push({ id: wf.workflowId, running: wf.status.name === 'RUNNING' });
  }
  const running = [...new Set(found.filter((f) => f.running).map((f) => f.id))];
  if (running.length > 1) throw new Error(`${name} runs in several sandboxes (${running.join(', ')}); pass --sandbox`);
  const id = running[0] ?? found[0]?.id;
  if (!id) throw new Error(`no dataflow named ${name} was found; pass --sandbox if it was just created`);
  return id;
}

export async function queryDataflow(runtime: RuntimeConfig, name: string, sandbox?: string): Promise<DataflowState> {
  return withClient(runtime, async (client) =>
    client.workflow.getHandle(await resolveDataflowId(client, name, sandbox)).query(dataflowStateQuery),
  );
}

/** What `update -f FILE` sends: only the fields that differ from the running state. */
export function updatesFor(
  spec: DataflowSpec,
  state: DataflowState,
): { update?: UpdateArgs; updateAccount?: UpdateAccountArgs; fixed: string[] } {
  const update: UpdateArgs = {};
  if (spec.flowName !== state.flowName) update.name = spec.flowName;
  if (spec.description !== state.flowDescription) update.description = spec.description;
  if (!sameMappings(spec.mappings, state.mappings)) update.mappings = spec.mappings;
  const account: UpdateAccountArgs = {};
  if (spec.account.name !== state.account.name) account.name = spec.account.name;
  if (spec.account.description !== state.account.description) account.description = spec.account.description;
  const names = Object.fromEntries(state.steps.map((s) => [s.step, s.name]));
  const fixed = [
    ...(names.schema !== spec.schemaTitle ? ['target.schema'] : []),
    ...(names.dataset !== spec.datasetName ? ['target.dataset'] : []),
  ];
  return {
    ...(Object.keys(update).length ? { update } : {}),
    ...(Object.keys(account).length ? { updateAccount: account } : {}),
    fixed,
  };
}

/** Applies what the file changes by the `updateFlowAndWait` / `updateAccountAndWait` Updates; returns what was sent
 *  and the state after them, or throws ChangeRejectedError naming the field or the AEP error. */
export async function updateDataflow(spec: DataflowSpec, runtime: RuntimeConfig, reason: string) {
  return withClient(runtime, async (client) => {
    const workflowId = dataflowWorkflowId(spec.aep.sandbox, spec.name);
    let state = await client.workflow.getHandle(workflowId).query(dataflowStateQuery);
    const plan = updatesFor(spec, state);
    if (plan.update) state = await updateFlowByUpdate(client, workflowId, { ...plan.update, reason });
    if (plan.updateAccount) state = await updateAccountByUpdate(client, workflowId, { ...plan.updateAccount, reason });
    return { ...plan, state };
  });
}

/** Signals `delete`; a dataflow that is not running (already deleted) is left alone. */
export async function deleteDataflow(
  runtime: RuntimeConfig,
  name: string,
  opts: { sandbox?: string; reason?: string; wait?: boolean } = {},
): Promise<{ workflowId: string; sent: boolean; state?: DataflowState }> {
  return withClient(runtime, async (client) => {
    const workflowId = await resolveDataflowId(client, name, opts.sandbox).catch(() =>
      dataflowWorkflowId(opts.sandbox ?? 'prod', name),
    );
    const handle = client.workflow.getHandle(workflowId);
    try {
      if ((await handle.describe()).status.name !== 'RUNNING') return { workflowId, sent: false };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { workflowId, sent: false };
      throw err;
    }
    await handle.signal(dataflowDeleteSignal, { reason: opts.reason ?? 'pendoflow dataflow delete' });
    if (!opts.wait) return { workflowId, sent: true };
    return { workflowId, sent: true, state: (await handle.result()) as DataflowState };
  });
}
