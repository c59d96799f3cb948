import { DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { bundleWorkflows } from '../../src/workflow-bundle';
import { temporal } from '@temporalio/proto';
import { payloadCodecs } from '../../src/codec/aes-gcm-codec';
import { type Fixture, loadFixtures } from './fixtures';

// Replay takes seconds; the bundle about ten on a busy machine.
jest.setTimeout(120_000);
// The replay worker's state changes are INFO; a nondeterminism shows as the test's own failure.
Runtime.install({ logger: new DefaultLogger('WARN') });

let options: ReplayWorkerOptions;
let fixtures: Fixture[];

// Bundled as src/worker.ts bundles (workflowsPath, no interceptors, the default payload converter) and decoded
// with a keyless worker's codec: the fixtures are recorded unencrypted.
beforeAll(async () => {
  fixtures = loadFixtures();
  const bundle = await bundleWorkflows({ quiet: true });
  options = { workflowBundle: bundle, dataConverter: { payloadCodecs: payloadCodecs(undefined) } };
});

/** Replays each history on the current code; returns one line per failure naming the fixture and the workflow. */
async function replayFailures(list: Fixture[]): Promise<string[]> {
  const failures: string[] = [];
  const histories = list.map(({ workflowId, history }) => ({ workflowId, history }));
  let index = 0;
  for await (const result of Worker.runReplayHistories({ ...options, replayName: 'pendoflow-replay' }, histories)) {
    const fixture = list[index];
    index += 1;
    if (result.error) {
      failures.push(`${fixture?.path} (workflow ${result.workflowId}, run ${result.runId}): ${result.error.message}`);
    }
  }
  if (index !== list.length) failures.push(`replayed ${index} of ${list.length} histories`);
  return failures;
}

test('issue 10: the recorded histories cover capture, its bindings, dataflow and pipeline, with continue-as-new', () => {
  const types = new Set(fixtures.map((f) => f.workflowType));
  expect([...types].sort()).toEqual(['capture', 'captureBinding', 'dataflow', 'pipeline']);
  const continued = new Set(fixtures.filter((f) => f.status === 'CONTINUED_AS_NEW').map((f) => f.workflowType));
  expect(continued.has('captureBinding')).toBe(true);
});

test('issue 10: every recorded history replays on the current workflow code without nondeterminism', async () => {
  const failures = await replayFailures(fixtures);
  const events = fixtures.reduce((sum, f) => sum + (f.history.events?.length ?? 0), 0);
  console.log(`replayed ${fixtures.length} histories (${events} events)`);
  expect(failures).toEqual([]);
});

test('issue 10: a history whose commands the code does not emit fails replay, naming fixture and workflow', async () => {
  const SCHEDULED = temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED;
  const original = fixtures.find((f) => f.history.events?.some((e) => e.eventType === SCHEDULED));
  if (!original) throw new Error('no fixture schedules an activity');
  // A copy in which the first scheduled activity is one the workflow never calls.
  const history = temporal.api.history.v1.History.fromObject(
    temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.create(original.history)),
  );
  const scheduled = history.events.find((e) => e.eventType === SCHEDULED)?.activityTaskScheduledEventAttributes;
  if (!scheduled?.activityType) throw new Error(`${original.path}: no activity type to change`);
  scheduled.activityType.name = 'anActivityNoWorkflowCalls';
  const failures = await replayFailures([{ ...original, history }]);
  expect(failures).toHaveLength(1);
  expect(failures[0]).toContain(`${original.path} (workflow ${original.workflowId}`);
  expect(failures[0]).toMatch(/nondetermin/i);
});

test('the recorded histories name no absolute path of the machine that recorded them', () => {
  const withPaths = fixtures.filter((f) => /\/(work|tmp|root|home|Users)\//.test(JSON.stringify(f.history)));
  expect(withPaths.map((f) => f.path)).toEqual([]);
});
