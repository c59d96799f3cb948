import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { loadDataflowFile } from '../../../config/dataflow-load';
import { loadRuntimeConfig, type RuntimeConfig } from '../../../config/runtime';
import { displaySecret } from '../../../config/secrets';
import { dataflowStateQuery } from '../../../workflows/dataflow/messages';
import { dataflowWorkflowId } from '../../../workflows/dataflow/ids';
import type { DataflowState } from '../../../workflows/dataflow/types';
import { dataflowValidateCommand } from '../common/config-validate';
import { createDataflow, deleteDataflow, queryDataflow, updateDataflow, withClient } from './control';
import { runsText, statusText } from './format';
import { ChangeRejectedError } from '../../updates';

const SETTLED = ['ready', 'failed', 'deleted'];

const run = (fn: () => Promise<number>) => async () => {
  process.exitCode = await fn();
};

/** Polls the state until provisioning settles (ready or failed). */
async function waitSettled(
  runtime: RuntimeConfig,
  workflowId: string,
  timeoutMs = 15 * 60_000,
): Promise<DataflowState> {
  return withClient(runtime, async (client) => {
    const handle = client.workflow.getHandle(workflowId);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await handle.query(dataflowStateQuery);
      if (SETTLED.includes(state.phase) || Date.now() > deadline) return state;
      await sleep(1000);
    }
  });
}

async function create(file: string, wait: boolean): Promise<number> {
  const spec = loadDataflowFile(file);
  const runtime = loadRuntimeConfig();
  const id = dataflowWorkflowId(spec.aep.sandbox, spec.name);
  const result = await createDataflow(spec, runtime);
  if (result === 'running') {
    console.log(`${id} is already running; nothing changed (use 'dataflow update' to change it)`);
    return 0;
  }
  console.log(
    `started ${id} on ${runtime.taskQueue} (client ${spec.aep.clientId}, secret ${displaySecret(spec.aep.clientSecret)})`,
  );
  if (!wait) return 0;
  const state = await waitSettled(runtime, id);
  console.log(statusText(state));
  return state.phase === 'ready' ? 0 : 1;
}

async function update(name: string, file: string): Promise<number> {
  const spec = loadDataflowFile(file);
  if (spec.name !== name) throw new Error(`${file} describes dataflow ${spec.name}, not ${name}`);
  const id = dataflowWorkflowId(spec.aep.sandbox, name);
  let plan;
  try {
    plan = await updateDataflow(spec, loadRuntimeConfig(), `pendoflow dataflow update -f ${file}`);
  } catch (err) {
    if (!(err instanceof ChangeRejectedError)) throw err;
    console.error(`pendoflow: ${err.message}`);
    return 1;
  }
  const flow = plan.state.steps.find((s) => s.step === 'flow');
  if (plan.update)
    console.log(`updated the flow of ${id}: ${Object.keys(plan.update).join(', ')} (etag ${flow?.etag})`);
  if (plan.updateAccount) {
    console.log(`updated the account of ${id}: ${Object.keys(plan.updateAccount).join(', ')}`);
  }
  if (!plan.update && !plan.updateAccount) console.log(`${id} already matches ${file}; nothing sent`);
  if (plan.fixed.length) {
    console.error(`not changed (fixed once provisioned; delete and create to change): ${plan.fixed.join(', ')}`);
    return 1;
  }
  return 0;
}

async function remove(name: string, opts: { sandbox?: string; reason?: string; wait: boolean }): Promise<number> {
  const r = await deleteDataflow(loadRuntimeConfig(), name, opts);
  if (!r.sent) {
    console.log(`${r.workflowId} is not running (already deleted, or never created); nothing to delete`);
    return 0;
  }
  console.log(`sent delete to ${r.workflowId}`);
  if (r.state) console.log(statusText(r.state));
  return 0;
}

/** `pendoflow dataflow validate|create|status|update|delete|runs`. */
export function registerDataflowCommands(program: Command): void {
  const cmd = program
    .command('dataflow')
    .description('Provision, update, monitor and delete the AEP streaming dataflow of the Pendo source.');
  cmd
    .command('validate')
    .description("Check a dataflow file, and its secret reference and hosts against this shell's worker settings.")
    .requiredOption('-f, --file <file>', 'YAML or JSON dataflow file')
    .option('--json', 'machine-readable output', false)
    .action((opts: { file: string; json: boolean }) => run(async () => dataflowValidateCommand(opts.file, opts))());
  cmd
    .command('create')
    .description('Start provisioning the dataflow of a file; one already running is left unchanged.')
    .requiredOption('-f, --file <file>', 'YAML or JSON dataflow file')
    .option('--wait', 'wait until provisioned, then print the status and inlet URL', false)
    .action((opts: { file: string; wait: boolean }) => run(() => create(opts.file, opts.wait))());
  cmd
    .command('status <name>')
    .description('Phase, steps with ids and etags, inlet URL, last runs and errors.')
    .option('--sandbox <sandbox>', 'sandbox of the dataflow (found by search attributes when omitted)')
    .option('--json', 'machine-readable output', false)
    .action((name: string, opts: { sandbox?: string; json: boolean }) =>
      run(async () => {
        const state = await queryDataflow(loadRuntimeConfig(), name, opts.sandbox);
        console.log(opts.json ? JSON.stringify(state, null, 2) : statusText(state));
        return state.phase === 'failed' ? 1 : 0;
      })(),
    );
  cmd
    .command('update <name>')
    .description("Apply a file's flow name, description, mappings and account to a running dataflow.")
    .requiredOption('-f, --file <file>', 'YAML or JSON dataflow file')
    .action((name: string, opts: { file: string }) => run(() => update(name, opts.file))());
  cmd
    .command('delete <name>')
    .description('Remove every AEP resource of the dataflow, dependents first; the workflow then completes.')
    .option('--sandbox <sandbox>', 'sandbox of the dataflow (found by search attributes when omitted)')
    .option('--reason <text>', 'recorded with the signal')
    .option('--wait', 'wait until everything is removed', false)
    .action((name: string, opts: { sandbox?: string; reason?: string; wait: boolean }) =>
      run(() => remove(name, opts))(),
    );
  cmd
    .command('runs <name>')
    .description('The latest flow runs the dataflow has read: status and record counts.')
    .option('--sandbox <sandbox>', 'sandbox of the dataflow (found by search attributes when omitted)')
    .option('--json', 'machine-readable output', false)
    .action((name: string, opts: { sandbox?: string; json: boolean }) =>
      run(async () => {
        const state = await queryDataflow(loadRuntimeConfig(), name, opts.sandbox);
        console.log(opts.json ? JSON.stringify(state.lastRuns, null, 2) : runsText(state.lastRuns));
        return 0;
      })(),
    );
}
