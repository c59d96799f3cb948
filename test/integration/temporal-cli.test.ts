import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { temporalCliPath } from '../../scripts/lib/temporal-dev-server';
import type { CaptureStatus } from '../../src/workflows/capture/types';
import { CAPTURE_NAME } from '../../src/workflows/common/search-attributes';
import { captureWorkflowId } from '../../src/workflows/capture/ids';
import { capture } from '../../src/workflows';
import { captureSpec, connectTestClient, temporalAddress, TestWorld, waitFor } from '../helpers/harness';

const run = promisify(execFile);

/** Runs the real `temporal` CLI against the test server, as the README shows. */
async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await run(temporalCliPath(), [...args, '--address', temporalAddress()]);
  return stdout;
}

async function queryStatus(workflowId: string, name = 'captureStatus'): Promise<CaptureStatus> {
  const out = await temporal('workflow', 'query', '--workflow-id', workflowId, '--name', name, '--output', 'json');
  const parsed = JSON.parse(out) as { queryResult: [CaptureStatus] };
  return parsed.queryResult[0];
}

let emulator: RunningPendoEmulator;
let world: TestWorld;

beforeAll(async () => {
  emulator = await startPendoEmulator({ seed: 5 });
  world = await TestWorld.create('cli', { PENDO_TEST_KEY: emulator.key });
  await world.startWorker();
});
afterAll(async () => {
  await world?.dispose();
  await emulator?.close();
});

test('the temporal CLI finds, queries, signals and (issue 10) updates a capture by the documented names', async () => {
  const { client, close } = await connectTestClient();
  const id = captureWorkflowId('cli');
  try {
    await client.workflow.start(capture, {
      workflowId: id,
      taskQueue: world.taskQueue,
      args: [
        {
          spec: captureSpec({
            name: 'cli',
            baseUrl: emulator.url,
            keyRef: 'env:PENDO_TEST_KEY',
            resources: ['Page', 'PageEvents'],
          }),
        },
      ],
      typedSearchAttributes: [{ key: CAPTURE_NAME, value: 'cli' }],
    });
    await waitFor('the first poll', async () => (await queryStatus(id)).bindings.every((b) => b.lastPollAt !== null));

    const listed = await temporal('workflow', 'list', '--query', `PendoCapture="cli"`, '--output', 'json');
    const ids = (JSON.parse(listed) as { execution: { workflowId: string } }[])
      .map((w) => w.execution.workflowId)
      .sort();
    expect(ids).toEqual([id, `${id}:Page`, `${id}:PageEvents`]);

    await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'pause', '--input', '{"reason":"maintenance"}');
    await waitFor('both bindings paused', async () =>
      (await queryStatus(id)).bindings.every((b) => b.state === 'paused'),
    );
    expect((await queryStatus(id)).state).toBe('paused');

    await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'resume', '--input', '{}');
    await temporal(
      'workflow',
      'signal',
      '--workflow-id',
      id,
      '--name',
      'reconfigure',
      '--input',
      '{"settings":{"intervalMs":7000}}',
    );
    await waitFor('the new interval', async () => (await queryStatus(id)).intervalMs === 7000);

    await temporal(
      'workflow',
      'signal',
      '--workflow-id',
      id,
      '--name',
      'reconfigure',
      '--input',
      '{"settings":{"intervalMs":"soon"}}',
    );
    const rejected = await waitFor(
      'the rejection',
      async () => (await queryStatus(id)).lastRejectedReconfigure ?? undefined,
    );
    expect(rejected.message).toMatch(/settings\.intervalMs/);
    expect((await queryStatus(id)).intervalMs).toBe(7000);

    // issue 10: the same change by Update answers at once: the new status, or the refusal naming the field.
    const update = (input: string) =>
      temporal('workflow', 'update', 'execute', '--workflow-id', id, '--name', 'reconfigureAndWait', '--input', input);
    // The CLI prints the result as its text form of the JSON (`... intervalMs:8000 ...`).
    expect(await update('{"settings":{"intervalMs":8000}}')).toMatch(/\bResult\b.*\bintervalMs:8000\b/);
    const refused = await update('{"settings":{"intervalMs":10}}').catch((err: { stderr: string }) => err);
    expect(refused).toMatchObject({ stderr: expect.stringMatching(/settings\.intervalMs/) });
    // The old query name is still answered, for scripts written before the renames.
    expect((await queryStatus(id, 'status')).intervalMs).toBe(8000);

    const child = JSON.parse(
      await temporal('workflow', 'query', '--workflow-id', `${id}:Page`, '--name', 'bindingStatus', '--output', 'json'),
    ) as {
      queryResult: [{ resource: string }];
    };
    expect(child.queryResult[0].resource).toBe('Page');

    await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'stop', '--input', '{"reason":"test done"}');
    const result = await client.workflow.getHandle<typeof capture>(id).result();
    expect(result.state).toBe('stopped');
  } finally {
    await close();
  }
});
