import {
  dataflowDeleteSignal,
  dataflowStateQuery,
  dataflowUpdateFlowUpdate,
  dataflowUpdateSignal,
} from '../../src/workflows/dataflow/messages';
import { DEFAULT_MAPPINGS } from '../../src/workflows/dataflow/fields';
import type { PatchFlowInput, UpdateMappingSetInput } from '../../src/workflows/dataflow/activity-types';
import type { DataflowState } from '../../src/workflows/dataflow/types';
import { dataflowInput, patched, PROVISIONED } from '../helpers/dataflow-fixtures';
import { failure, ScriptedActivities, withWorker } from '../helpers/scripted-activities';
import { until, useTimeSkipping } from '../helpers/time-skipping';

const env = useTimeSkipping();

describe('issue 10: an update of a dataflow', () => {
  it.each(['signal', 'Update'] as const)(
    'by %s: re-applies the flow PATCH after a 412 (a concurrent change), without a second mapping version',
    async (by) => {
      let patches = 0;
      const scripted = new ScriptedActivities({
        ...PROVISIONED,
        aepListRuns: async () => [],
        aepUpdateMappingSet: async () => ({ id: 'mappingSet-id', version: 1 }),
        aepPatchFlow: async () => {
          patches++;
          // As the activity reports a stale etag once its own re-reads are spent: retryable.
          if (patches === 1) throw failure('AepPreconditionFailed', 'the flow changed under us (412)');
          return patched('"f2"', 2);
        },
        aepDelete: async () => ({ existed: true }),
      });
      const mappings = DEFAULT_MAPPINGS.slice(0, 3);
      const { state, final } = await withWorker(env(), scripted, async (taskQueue) => {
        const handle = await env().client.workflow.start('dataflow', {
          taskQueue,
          workflowId: `aep-dataflow:prod:update-${taskQueue}`,
          args: [dataflowInput('update')],
        });
        await until('the dataflow is ready', async () => (await handle.query(dataflowStateQuery)).phase === 'ready');
        const change = { description: 'renamed', mappings };
        let applied: DataflowState;
        if (by === 'Update') {
          // The caller gets the state once the change is applied, 412 and all.
          applied = await handle.executeUpdate(dataflowUpdateFlowUpdate, { args: [change] });
        } else {
          await handle.signal(dataflowUpdateSignal, change);
          await env().sleep(60_000);
          await until(
            'the update is applied',
            async () => (await handle.query(dataflowStateQuery)).updatesApplied === 1,
          );
          applied = await handle.query(dataflowStateQuery);
        }
        await handle.signal(dataflowDeleteSignal, {});
        return { state: applied, final: await env().result<DataflowState>(handle) };
      });

      expect(scripted.names('aepUpdateMappingSet', 'aepPatchFlow')).toEqual([
        'aepUpdateMappingSet',
        'aepPatchFlow',
        'aepPatchFlow',
      ]);
      const [first, second] = scripted.inputs<PatchFlowInput>('aepPatchFlow');
      expect(second).toEqual(first);
      expect(first?.mapping).toEqual({ id: 'mappingSet-id', version: 1 });
      expect(scripted.inputs<UpdateMappingSetInput>('aepUpdateMappingSet')[0]?.mappings).toEqual(mappings);
      expect(state.phase).toBe('ready');
      expect(state.steps.find((s) => s.step === 'flow')?.etag).toBe('"f2"');
      expect(state.lastApplied).toMatchObject({ signal: 'update', changed: true, patchAttempts: 2 });
      expect(state.lastError).toBeNull();
      expect(state.mappings).toEqual(mappings);
      expect(final.phase).toBe('deleted');
    },
  );
});
