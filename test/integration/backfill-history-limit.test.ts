import { Client, Connection, type WorkflowExecutionInfo, type WorkflowHandle } from '@temporalio/client';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { startDevServer, type DevServer } from '../../scripts/lib/temporal-dev-server';
import { queryStatus } from '../../src/client/commands/capture/control';
import { statusTable } from '../../src/client/format/status-table';
import { loadRuntimeConfig, type RuntimeConfig } from '../../src/config/runtime';
import type { EventWindowInput } from '../../src/workflows/capture/activity-types';
import type { BindingStatus, CaptureSpec, CaptureStatus } from '../../src/workflows/capture/types';
import { captureStatusQuery, stopSignal } from '../../src/workflows/capture/messages';
import { bindingWorkflowId, captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { floorHour } from '../../src/workflows/capture/cursor';
import { captureSpec, expectCollectionEqualsTruth, HOUR, TestWorld, waitFor } from '../helpers/harness';

// The history limit scaled down 128x from the default 51,200 events, so a 14-day backfill at 1-hour windows
// (336 windows) is several times the limit.
const HISTORY_LIMIT = 400;
const HISTORY_WARN = 300;
const SUGGEST_CAN = 200;
const DAYS = 14;

let server: DevServer;
let emulator: RunningPendoEmulator;
let connection: Connection;
let client: Client;
const dataStartMs = floorHour(Date.now()) - DAYS * 24 * HOUR;

beforeAll(async () => {
  [server, emulator] = await Promise.all([
    startDevServer({
      dynamicConfig: {
        'limit.historyCount.error': HISTORY_LIMIT,
        'limit.historyCount.warn': HISTORY_WARN,
        'limit.historyCount.suggestContinueAsNew': SUGGEST_CAN,
      },
    }),
    startPendoEmulator({ seed: 53, lateFraction: 0, processingDelayMs: [0, 0], dataStartMs, volume: 0.2 }),
  ]);
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await emulator?.close();
  await server?.stop();
});

async function newWorld(name: string): Promise<TestWorld> {
  const world = await TestWorld.create(name, { TEMPORAL_ADDRESS: server.address, PENDO_TEST_KEY: emulator.key });
  await world.startWorker();
  return world;
}

const runtime = (world: TestWorld): RuntimeConfig =>
  loadRuntimeConfig({
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_CONFIG_FILE: process.env.TEMPORAL_CONFIG_FILE,
    PENDOFLOW_TASK_QUEUE: world.taskQueue,
    PENDOFLOW_DATA_DIR: world.dataDir,
  });

function spec(name: string, days: number, backfillConcurrency?: number): CaptureSpec {
  return captureSpec({
    name,
    baseUrl: emulator.url,
    keyRef: 'env:PENDO_TEST_KEY',
    resources: ['PageEvents'],
    settings: {
      startMs: floorHour(Date.now()) - days * 24 * HOUR,
      limits: {
        incrementalLimit: 5000,
        backfillLimit: 5000,
        windowHours: 1,
        requestTimeoutMs: 30_000,
        ...(backfillConcurrency ? { backfillConcurrency } : {}),
      },
    },
  });
}

async function start(world: TestWorld, s: CaptureSpec): Promise<WorkflowHandle<typeof capture>> {
  return client.workflow.start(capture, {
    workflowId: captureWorkflowId(s.name),
    taskQueue: world.taskQueue,
    args: [{ spec: s }],
  });
}

/** Every run of a workflow ID, oldest first. */
async function runsOf(workflowId: string): Promise<WorkflowExecutionInfo[]> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const r of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(r);
  return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

const bindingOf = async (handle: WorkflowHandle<typeof capture>): Promise<BindingStatus | undefined> =>
  ((await handle.query(captureStatusQuery)) as CaptureStatus).bindings[0];

/**
 * Polls until the binding's cursor reaches `untilMs`, failing at once (saying where) if its workflow closes.
 * Runs of the binding started before `sinceMs` are not this capture's.
 */
async function backfillTo(
  handle: WorkflowHandle<typeof capture>,
  bindingId: string,
  untilMs: number,
  sinceMs = 0,
): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const d = await client.workflow
      .getHandle(bindingId)
      .describe()
      .catch(() => undefined);
    const b = await bindingOf(handle);
    if (d && d.startTime.getTime() >= sinceMs && d.status.name !== 'RUNNING') {
      throw new Error(`the binding was ${d.status.name} at ${b?.backfill?.percent}% (cursor ${b?.cursor})`);
    }
    if (b?.cursor && Date.parse(b.cursor) >= untilMs) return;
    if (Date.now() > deadline) throw new Error(`the backfill did not reach ${new Date(untilMs).toISOString()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Stops a capture and waits for it, far less than its grace for bindings that do not answer. */
async function stop(handle: WorkflowHandle<typeof capture>): Promise<CaptureStatus> {
  await handle.signal(stopSignal, { reason: 'test' });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the capture did not stop within 60 s')), 60_000);
  });
  const result = handle.result();
  result.catch(() => undefined);
  try {
    return await Promise.race([result, late]);
  } finally {
    clearTimeout(timer);
  }
}

test('issue 8 finding 3: a backfill of 5x the history limit continues-as-new between windows and ends exact', async () => {
  const world = await newWorld('histlimit');
  try {
    const s = spec('histlimit', DAYS);
    const handle = await start(world, s);
    const horizon = floorHour(Date.now());
    const bindingId = bindingWorkflowId(s.name, 'PageEvents');
    await backfillTo(handle, bindingId, horizon);
    const rows = await expectCollectionEqualsTruth(
      world,
      emulator.url,
      `${s.name}/PageEvents`,
      'PageEvents',
      s.settings.startMs,
      horizon,
    );
    expect(rows).toBeGreaterThan(DAYS * 24);
    await stop(handle);
    // Visibility lags a moment behind the last run's close.
    const runs = await waitFor('every run of the binding to be closed in visibility', async () => {
      const all = await runsOf(bindingId);
      return all.every((r) => r.status.name !== 'RUNNING') && all;
    });
    const events = runs.reduce((n, r) => n + r.historyLength, 0);
    const longest = Math.max(...runs.map((r) => r.historyLength));
    console.log(`binding: ${runs.length} runs, ${events} events, ${DAYS * 24} windows, longest run ${longest}`);
    expect(events).toBeGreaterThan(3 * HISTORY_LIMIT);
    expect(runs.filter((r) => r.status.name === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(3);
    expect(runs.filter((r) => !['CONTINUED_AS_NEW', 'COMPLETED'].includes(r.status.name))).toEqual([]);
    // No run came near the limit: each ended before the server's warning.
    expect(longest).toBeLessThan(HISTORY_WARN);
  } finally {
    await world.dispose();
  }
});

test('issue 13: a backfill of 4 windows at once continues as new only once those in flight are done, and ends exact', async () => {
  const world = await newWorld('histconc');
  try {
    const s = spec('histconc', 7, 4);
    const handle = await start(world, s);
    const horizon = floorHour(Date.now());
    const bindingId = bindingWorkflowId(s.name, 'PageEvents');
    await backfillTo(handle, bindingId, horizon);
    await expectCollectionEqualsTruth(
      world,
      emulator.url,
      `${s.name}/PageEvents`,
      'PageEvents',
      s.settings.startMs,
      horizon,
    );
    await stop(handle);
    const runs = await waitFor('every run of the binding to be closed in visibility', async () => {
      const all = await runsOf(bindingId);
      return all.every((r) => r.status.name !== 'RUNNING') && all;
    });
    expect(runs.filter((r) => r.status.name === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
    for (const r of runs.filter((x) => x.status.name === 'CONTINUED_AS_NEW')) {
      // No run handed an activity on: every window it scheduled closed in it.
      const events = (await client.workflow.getHandle(bindingId, r.runId).fetchHistory()).events ?? [];
      const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes).length;
      const closed = events.filter(
        (e) =>
          e.activityTaskCompletedEventAttributes ||
          e.activityTaskFailedEventAttributes ||
          e.activityTaskTimedOutEventAttributes,
      ).length;
      expect(closed).toBe(scheduled);
    }
    expect(Math.max(...runs.map((r) => r.historyLength))).toBeLessThan(HISTORY_WARN);
  } finally {
    await world.dispose();
  }
});

test('issue 8 finding 3: a terminated binding shows as terminated in capture status and its capture, and stop returns', async () => {
  const world = await newWorld('killed');
  try {
    const s = spec('killed', 4);
    const handle = await start(world, s);
    const bindingId = bindingWorkflowId(s.name, 'PageEvents');
    await backfillTo(handle, bindingId, s.settings.startMs + 24 * HOUR);
    await client.workflow.getHandle(bindingId).terminate('test: as if the history limit was hit');

    const cli = (await queryStatus(s.name, runtime(world))).bindings[0];
    expect(cli?.state).toBe('terminated');
    expect(cli?.lastError?.message).toContain('as if the history limit was hit');
    expect(cli?.backfill?.percent).toBeLessThan(100);
    expect(statusTable(await queryStatus(s.name, runtime(world)))).toMatch(/PageEvents\s+terminated/);

    // Stopped before (or whether or not) the capture noticed: the binding's stop signal fails and it is checked.
    const final = await stop(handle);
    expect(final.bindings[0]?.state).toBe('terminated');
    expect(final.bindings[0]?.lastError?.message).toContain('as if the history limit was hit');
  } finally {
    await world.dispose();
  }
});

test('issue 8 finding 3: a running capture notices its binding was terminated, and reports it in its own status', async () => {
  const world = await newWorld('noticed');
  try {
    const s = spec('noticed', 4);
    const handle = await start(world, s);
    const bindingId = bindingWorkflowId(s.name, 'PageEvents');
    await backfillTo(handle, bindingId, s.settings.startMs + 24 * HOUR);
    await client.workflow.getHandle(bindingId).terminate('test: terminated by hand');
    const seen = await waitFor(
      'the capture to report the binding terminated',
      async () => {
        const b = await bindingOf(handle);
        return b?.state === 'terminated' && b;
      },
      60_000,
    );
    expect(seen.lastError?.message).toContain('terminated by hand');
    await stop(handle);
  } finally {
    await world.dispose();
  }
});

test('issue 8 finding 3: capture start again after a binding died resumes from the committed cursor', async () => {
  const world = await newWorld('resume');
  try {
    const s = spec('resume', 4);
    const target = `${s.name}/PageEvents`;
    const bindingId = bindingWorkflowId(s.name, 'PageEvents');
    const first = await start(world, s);
    await backfillTo(first, bindingId, s.settings.startMs + 30 * HOUR);
    await client.workflow.getHandle(bindingId).terminate('test: died mid-backfill');
    const died = Date.parse((await stop(first)).bindings[0]?.cursor ?? '');
    expect(died).toBeGreaterThanOrEqual(s.settings.startMs + 30 * HOUR);
    const committed = await world.collections.readCursor(target);

    const restartedAt = Date.now();
    const again = await start(world, s);
    const horizon = floorHour(Date.now());
    await backfillTo(again, bindingId, horizon, restartedAt);
    await expectCollectionEqualsTruth(world, emulator.url, target, 'PageEvents', s.settings.startMs, horizon);

    // The restarted binding's first window begins at the committed cursor, not at startDate.
    const run = (await runsOf(bindingId)).find((r) => r.startTime.getTime() >= restartedAt);
    expect(run).toBeDefined();
    const history = await client.workflow.getHandle(bindingId, run?.runId).fetchHistory();
    const firstWindow = history.events?.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'captureEventWindow',
    )?.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
    const input = JSON.parse(Buffer.from(firstWindow ?? []).toString()) as EventWindowInput;
    // Where the dead binding was, or one window on when the window in flight as it died was committed.
    expect(input.fromMs).toBeGreaterThanOrEqual(died);
    expect(input.fromMs).toBe(committed?.cursorMs);
    await stop(again);
  } finally {
    await world.dispose();
  }
});
