import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { dataflowStateQuery } from '../../src/workflows/dataflow/messages';
import { DataflowErrorType } from '../../src/workflows/common/errors';
import type { DeleteInput } from '../../src/workflows/dataflow/activity-types';
import { dataflowInput, PROVISIONED, PROVISIONING } from '../helpers/dataflow-fixtures';
import { failure, ScriptedActivities, useWorker } from '../helpers/scripted-activities';
import { useTimeSkipping } from '../helpers/time-skipping';

const env = useTimeSkipping();
const worker = useWorker(env, [...PROVISIONING.map((p) => p.activity), 'aepDelete']);

describe('issue 10: a permanent failure while provisioning removes what was made, dependents first', () => {
  it.each(PROVISIONING.map((p, index) => [p.step, index] as const))('failing at %s', async (failingStep, index) => {
    const failing = PROVISIONING[index]!;
    const scripted = new ScriptedActivities({
      ...PROVISIONED,
      [failing.activity]: async () => {
        throw failure('AepValidation', `AEP refused the ${failingStep}`, true);
      },
      aepDelete: async () => ({ existed: true }),
    });
    const handle = await env().client.workflow.start('dataflow', {
      taskQueue: worker(scripted),
      workflowId: `aep-dataflow:prod:${failingStep}`,
      args: [dataflowInput(`c${index}`)],
    });
    const error = await env()
      .result(handle)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    const state = await handle.query(dataflowStateQuery);

    const made = PROVISIONING.slice(0, index);
    const expectedDeletes = [...made].reverse().flatMap((p) => (p.kind ? [p.kind] : []));
    expect(scripted.names()).toEqual([
      ...made.map((p) => p.activity),
      failing.activity,
      ...expectedDeletes.map(() => 'aepDelete'),
    ]);
    expect(scripted.inputs<DeleteInput>('aepDelete').map((d) => [d.kind, d.id])).toEqual(
      [...made].reverse().flatMap((p) => (p.kind ? [[p.kind, `${p.step}-id`]] : [])),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(DataflowErrorType.ProvisioningFailed);
    expect(cause?.message).toContain(`failed at step ${failingStep}`);
    expect(state.phase).toBe('failed');
    expect(state.removed.map((r) => [r.step, r.outcome])).toEqual(
      [...made]
        .reverse()
        .filter((p) => p.kind || p.step === 'mappingSet')
        .map((p) => [p.step, p.kind ? 'deleted' : 'kept']),
    );
  });
});
