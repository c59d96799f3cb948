import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createInspector, startAepEmulator, type AepInspector, type RunningAepEmulator } from '../../emulators/aep';
import { createAepClients, ImsTokenCache, type Flow } from '../../src/aep';
import { createPipelineActivities } from '../../src/activities/pipeline/activities';
import { createDataflow, deleteDataflow } from '../../src/client/commands/dataflow/control';
import { ChangeRejectedError, updateAccountByUpdate, updateFlowByUpdate } from '../../src/client/updates';
import { statusText } from '../../src/client/commands/dataflow/format';
import { pipelineText } from '../../src/client/commands/pipeline/control';
import { parseDataflowDocument } from '../../src/config/dataflow-load';
import { loadRuntimeConfig, type RuntimeConfig } from '../../src/config/runtime';
import { DEFAULT_MAPPINGS } from '../../src/workflows/dataflow/fields';
import {
  dataflowDeleteSignal,
  dataflowStateQuery,
  dataflowUpdateAccountSignal,
  dataflowUpdateSignal,
  legacyDataflowNames,
} from '../../src/workflows/dataflow/messages';
import { withOwner } from '../../src/workflows/dataflow/names';
import { dataflowWorkflowId } from '../../src/workflows/dataflow/ids';
import type { DataflowSpec, DataflowState } from '../../src/workflows/dataflow/types';
import { AEP_PHASE } from '../../src/workflows/common/search-attributes';
import type { dataflow } from '../../src/workflows';
import { connectTestClient, temporalAddress, TestWorld, waitFor } from '../helpers/harness';

const SECRET_ENV = 'AEP_TEST_CLIENT_SECRET';
const ONE_OF_EACH = {
  classes: 0,
  fieldgroups: 1,
  schemas: 1,
  dataSets: 1,
  mappingSets: 1,
  connections: 0,
  sourceConnections: 1,
  targetConnections: 1,
  flows: 1,
};
/** Data Prep has no DELETE: the mapping set is all a removed dataflow leaves. */
const ONLY_MAPPING_SET = {
  ...ONE_OF_EACH,
  fieldgroups: 0,
  schemas: 0,
  dataSets: 0,
  sourceConnections: 0,
  targetConnections: 0,
  flows: 0,
};

let emu: RunningAepEmulator;
let inspector: AepInspector;
let world: TestWorld;
let client: Client;
let closeClient: () => Promise<void>;
let runtime: RuntimeConfig;
const handles: WorkflowHandle<typeof dataflow>[] = [];

beforeAll(async () => {
  emu = await startAepEmulator({ port: 0 });
  inspector = createInspector(emu.url);
  world = await TestWorld.create('dataflow', { [SECRET_ENV]: emu.clientSecret });
  ({ client, close: closeClient } = await connectTestClient());
  runtime = loadRuntimeConfig({ TEMPORAL_ADDRESS: temporalAddress(), PENDOFLOW_TASK_QUEUE: world.taskQueue });
  await world.startWorker();
});
afterAll(async () => {
  for (const h of handles) await h.terminate('test over').catch(() => undefined);
  await world?.dispose();
  await emu?.close();
  await closeClient?.();
});
afterEach(async () => inspector.clearFaults());

/** A dataflow in its own sandbox; the secret is an `env:` reference the worker resolves. */
function spec(sandbox: string, monitorIntervalMs = 1000): DataflowSpec {
  const doc = {
    name: `df-${sandbox}`,
    orgId: emu.orgId,
    sandbox,
    clientId: emu.clientId,
    imsUrl: emu.url,
    platformUrl: emu.url,
  };
  return { ...parseDataflowDocument({ ...doc, clientSecret: `env:${SECRET_ENV}` }, 'test'), monitorIntervalMs };
}

async function start(s: DataflowSpec): Promise<WorkflowHandle<typeof dataflow>> {
  expect(await createDataflow(s, runtime)).toBe('started');
  const handle = client.workflow.getHandle<typeof dataflow>(dataflowWorkflowId(s.aep.sandbox, s.name));
  handles.push(handle);
  return handle;
}

const stateWhen = (handle: WorkflowHandle<typeof dataflow>, what: string, ok: (s: DataflowState) => boolean) =>
  waitFor(
    what,
    async () => {
      const s = await handle.query(dataflowStateQuery);
      return ok(s) && s;
    },
    60_000,
  );

const ready = (handle: WorkflowHandle<typeof dataflow>) =>
  stateWhen(handle, 'the dataflow to be ready', (s) => s.phase === 'ready');

const requestsSince = async (t0: number, filter: { path?: string; method?: string } = {}) =>
  (await inspector.requests(filter)).filter((r) => r.at > t0);

test('provisioning yields an inlet URL and one of each resource; create again changes nothing; state survives continue-as-new', async () => {
  const s = spec('provision', 200);
  const handle = await start(s);
  const state = await ready(handle);
  expect(state.inletUrl).toMatch(new RegExp(`^${emu.inletBaseUrl}/[0-9a-f]{64}$`));
  expect(state.steps.every((st) => st.status === 'done')).toBe(true);
  expect(await inspector.counts('provision')).toEqual(ONE_OF_EACH);
  const [flow] = await inspector.resources('flows', { sandbox: 'provision' });
  expect(flow?.id).toBe(state.steps.find((st) => st.step === 'flow')?.id);

  expect(await createDataflow(s, runtime)).toBe('running');
  expect(await inspector.counts('provision')).toEqual(ONE_OF_EACH);

  const flowId = flow?.id as string;
  const sent = await fetch(state.inletUrl as string, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-adobe-flow-id': flowId },
    body: JSON.stringify({ uniqueId: 'evt-1', accountId: 'acme', visitorId: 'v@acme', timestamp: 1673372516 }),
  });
  expect(sent.status).toBe(200);
  const firstRunId = (await handle.describe()).runId;
  const after = await waitFor(
    'monitoring to see the event after a continue-as-new',
    async () => {
      const st = await handle.query(dataflowStateQuery);
      const moved = (await handle.describe()).runId !== firstRunId;
      return moved && st.lastRuns[0]?.inputRecords === 1 && st;
    },
    90_000,
  );
  expect(after.steps.map((st) => [st.id, st.etag])).toEqual(state.steps.map((st) => [st.id, st.etag]));
  expect(after.lastRuns[0]).toMatchObject({ status: 'success', outputRecords: 1, failedRecords: 0 });
  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(AEP_PHASE)).toBe('ready');

  const history = await client.workflow.getHandle(handle.workflowId, firstRunId).fetchHistory();
  const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  expect(bytes.includes(emu.clientSecret)).toBe(false);
  expect(JSON.stringify(after)).not.toContain(emu.clientSecret);
  await handle.terminate('test over');
});

test('5xx faults and a worker SIGKILL during a create still end with exactly one of each resource', async () => {
  const t0 = Date.now();
  await inspector.setFaults(
    'latency:ms=2500:times=1:path=/dataSets:method=POST,503:times=2:path=/sourceConnections,500:times=1:path=/schemas:method=POST',
  );
  const handle = await start(spec('restart'));
  // The dataset lookup has been answered and its create is held by the latency fault: kill the worker now.
  await waitFor(
    'the dataset create to be in flight',
    async () => (await requestsSince(t0, { path: '/dataSets', method: 'GET' })).length > 0,
  );
  await world.worker?.kill();
  await world.startWorker();
  await ready(handle);
  expect(await inspector.counts('restart')).toEqual(ONE_OF_EACH);
  // The create the dead worker started landed; the retry found it by name instead of creating a second one.
  expect(await requestsSince(t0, { path: '/dataSets', method: 'POST' })).toHaveLength(1);
  const statuses = (await requestsSince(t0)).map((r) => r.status);
  expect(statuses.filter((c) => c === 503)).toHaveLength(2);
  expect(statuses).toContain(500);
  await handle.terminate('test over');
});

test('an update racing an etag change succeeds after the 412; invalid signals are rejected and change nothing', async () => {
  const handle = await start(spec('race'));
  const before = await ready(handle);

  await handle.signal(dataflowUpdateSignal, { mappings: [{ source: 'accountId', destination: 'accountId' }] });
  const rejected = await stateWhen(
    handle,
    'the invalid update to be rejected',
    (s) => s.lastRejected?.signal === 'update',
  );
  expect(rejected.lastRejected?.message).toMatch(/uniqueId/);
  await handle.signal(dataflowUpdateAccountSignal, {});
  await stateWhen(handle, 'the empty updateAccount to be rejected', (s) => s.lastRejected?.signal === 'updateAccount');
  const unchanged = await handle.query(dataflowStateQuery);
  expect(unchanged.steps).toEqual(before.steps);
  expect(unchanged.mappings).toEqual(before.mappings);
  expect(unchanged.updatesApplied).toBe(0);

  const t0 = Date.now();
  await inspector.setFaults('etag-race:path=/flows');
  const mappings = DEFAULT_MAPPINGS.map((m) =>
    m.destination === 'guideName'
      ? { ...m, source: 'upper(properties.guideProperties.name)', sourceType: 'EXPRESSION' as const }
      : m,
  );
  await handle.signal(dataflowUpdateSignal, { name: 'Pendo flow v2', description: 'second version', mappings });
  await handle.signal(dataflowUpdateAccountSignal, { name: 'Pendo account v2', description: 'renamed account' });
  const after = await stateWhen(handle, 'both updates to be applied', (s) => s.updatesApplied === 2);
  expect(after.lastError).toBeNull();

  const patches = await requestsSince(t0, { path: '/flows/', method: 'PATCH' });
  expect(patches.map((r) => r.status)).toEqual([412, 200]);
  const [flow] = await inspector.resources('flows', { sandbox: 'race' });
  const doc = flow?.doc as unknown as Flow;
  expect(doc.name).toBe('Pendo flow v2');
  expect(doc.description).toBe(withOwner('second version', handle.workflowId));
  expect(doc.transformations?.[0]?.params.mappingVersion).toBe(1);
  expect(doc.etag).toBe(after.steps.find((st) => st.step === 'flow')?.etag);
  const [mapping] = await inspector.resources('mappingSets', { sandbox: 'race' });
  expect(mapping?.doc).toMatchObject({
    version: 1,
    mappings: expect.arrayContaining([expect.objectContaining({ sourceType: 'EXPRESSION' })]),
  });
  const [source] = await inspector.resources('sourceConnections', { sandbox: 'race' });
  expect(source?.doc).toMatchObject({
    name: 'Pendo account v2',
    description: withOwner('renamed account', handle.workflowId),
  });
  await handle.terminate('test over');
});

test('issue 10: updates by Update are refused naming the field and change nothing, or answer the new state and etag', async () => {
  const handle = await start(spec('byupdate'));
  const before = await ready(handle);
  const etagOf = (s: DataflowState) => s.steps.find((st) => st.step === 'flow')?.etag;

  const badMapping = { mappings: [{ source: 'accountId', destination: 'accountId' as const }] };
  const refused = await updateFlowByUpdate(client, handle.workflowId, badMapping).catch((e) => e);
  expect(refused).toBeInstanceOf(ChangeRejectedError);
  expect(refused).toMatchObject({
    type: 'InvalidSignal',
    reason: expect.stringMatching(/^update: mappings: must map uniqueId/),
  });
  const empty = await updateAccountByUpdate(client, handle.workflowId, {}).catch((e) => e);
  expect(empty.reason).toBe('updateAccount: (argument): needs name or description');
  const unchanged = await handle.query(dataflowStateQuery);
  expect({ steps: unchanged.steps, applied: unchanged.updatesApplied, rejected: unchanged.lastRejected }).toEqual({
    steps: before.steps,
    applied: 0,
    rejected: null,
  });

  const updated = await updateFlowByUpdate(client, handle.workflowId, { description: 'by update', reason: 'test' });
  const [flow] = await inspector.resources('flows', { sandbox: 'byupdate' });
  expect(etagOf(updated)).not.toBe(etagOf(before));
  expect(etagOf(updated)).toBe((flow?.doc as unknown as Flow).etag);
  expect({ description: updated.flowDescription, applied: updated.updatesApplied }).toEqual({
    description: 'by update',
    applied: 1,
  });
  const renamed = await updateAccountByUpdate(client, handle.workflowId, { name: 'Pendo account by update' });
  expect(renamed.account.name).toBe('Pendo account by update');

  // Running deployments' scripts still send `update` and ask `state`.
  await handle.signal(legacyDataflowNames.updateSignal, { name: 'Pendo flow by old signal' });
  const legacy = await waitFor('the old-name update', async () => {
    const s = await handle.query(legacyDataflowNames.stateQuery);
    return s.updatesApplied === 3 && s;
  });
  expect(legacy.flowName).toBe('Pendo flow by old signal');
  await handle.terminate('test over');
});

test('a permanent error at the flow step removes everything the workflow created and reports it', async () => {
  await inspector.setFaults('flow-create:code=1425');
  const handle = await start(spec('compensate'));
  await expect(handle.result()).rejects.toMatchObject({
    cause: expect.objectContaining({
      type: 'DataflowProvisioningFailed',
      message: expect.stringMatching(/FLOW-1425-400/),
    }),
  });
  const state = await handle.query(dataflowStateQuery);
  expect(state.phase).toBe('failed');
  expect(state.removed.map((r) => [r.step, r.outcome])).toEqual([
    ['mappingSet', 'kept'],
    ['targetConnection', 'deleted'],
    ['sourceConnection', 'deleted'],
    ['dataset', 'deleted'],
    ['schema', 'deleted'],
    ['fieldGroup', 'deleted'],
  ]);
  expect(await inspector.counts('compensate')).toEqual(ONLY_MAPPING_SET);
});

test('a token that expires mid-run is refreshed without failing a step', async () => {
  const t0 = Date.now();
  const issued = (await inspector.stats()).tokensIssued;
  await inspector.setFaults('token-expiry:after=6');
  const handle = await start(spec('tokens'));
  await ready(handle);
  expect(await inspector.counts('tokens')).toEqual(ONE_OF_EACH);
  expect((await requestsSince(t0)).map((r) => r.status)).toContain(401);
  expect((await inspector.stats()).tokensIssued).toBeGreaterThan(issued);
  const events = (await handle.fetchHistory()).events ?? [];
  const starts = events.filter((e) => e.activityTaskStartedEventAttributes);
  expect(starts.length).toBeGreaterThanOrEqual(9);
  expect(starts.every((e) => e.activityTaskStartedEventAttributes?.attempt === 1)).toBe(true);
  await handle.terminate('test over');
});

test('delete removes everything dependents first, a 404 counts as done, and a second delete is a no-op', async () => {
  const s = spec('delete');
  const handle = await start(s);
  const state = await ready(handle);
  const datasetId = state.steps.find((st) => st.step === 'dataset')?.id as string;
  const aep = createAepClients({ ...s.aep, clientSecret: emu.clientSecret }, { tokenCache: new ImsTokenCache() });
  expect(await aep.catalog.deleteDataset(datasetId)).toBe(true);

  const t0 = Date.now();
  await handle.signal(dataflowDeleteSignal, { reason: 'test' });
  await handle.signal(dataflowDeleteSignal, {});
  const final = await handle.result();
  expect(final.phase).toBe('deleted');
  expect(final.removed.map((r) => [r.step, r.outcome])).toEqual([
    ['flow', 'deleted'],
    ['mappingSet', 'kept'],
    ['targetConnection', 'deleted'],
    ['sourceConnection', 'deleted'],
    ['dataset', 'alreadyGone'],
    ['schema', 'deleted'],
    ['fieldGroup', 'deleted'],
  ]);
  const deletes = await requestsSince(t0, { method: 'DELETE' });
  expect(deletes.map((r) => r.path.split('/').at(-2))).toEqual([
    'flows',
    'targetConnections',
    'sourceConnections',
    'dataSets',
    'schemas',
    'fieldgroups',
  ]);
  expect(await inspector.counts('delete')).toEqual(ONLY_MAPPING_SET);

  const t1 = Date.now();
  expect(await deleteDataflow(runtime, s.name, { sandbox: 'delete' })).toMatchObject({ sent: false });
  expect(await requestsSince(t1, { method: 'DELETE' })).toHaveLength(0);
});

test('issue 9 point 3: a dataflow that cannot reach AEP says so in dataflow status and pipeline status, then recovers', async () => {
  const s = spec('monitor', 500);
  const handle = await start(s);
  await ready(handle);
  await inspector.setFaults('503:path=/runs:times=1000000');
  const failing = await stateWhen(handle, 'monitoring to fail', (st) => st.lastError?.during === 'monitoring');
  expect(failing.phase).toBe('ready');

  const cliEnv = { ...process.env, TEMPORAL_ADDRESS: temporalAddress(), PENDOFLOW_TASK_QUEUE: world.taskQueue };
  const status = await runCli(['dataflow', 'status', s.name, '--sandbox', 'monitor'], cliEnv);
  expect(status.split('\n')[0]).toMatch(/: ready · AEP unreachable since .*: AepUnavailable/);

  const summary = await createPipelineActivities(client).describeDataflow(handle.workflowId);
  const pipelineView = pipelineText({
    name: 'p',
    phase: 'streaming',
    dataflow: summary,
    capture: null,
    lastError: null,
    updatedAt: new Date().toISOString(),
  });
  expect(pipelineView.split('\n')[1]).toMatch(/dataflow .*: ready, flow .* · AEP unreachable since .*: AepUnavailable/);

  await inspector.clearFaults();
  const healed = await stateWhen(handle, 'monitoring to reach AEP again', (st) => st.lastError === null);
  expect(statusText(healed).split('\n')[0]).not.toMatch(/unreachable/);
  await handle.terminate('test over');
});

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)('node', ['bin/pendoflow.js', ...args], { env, cwd: process.cwd() });
  return stdout;
}
