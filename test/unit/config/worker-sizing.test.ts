import { loadRuntimeConfig } from '../../../src/config/runtime';
import { DEFAULT_WORKER_SIZING, workerSizingOptions } from '../../../src/config/worker-sizing';

describe('issue 13: worker sizing settings', () => {
  it('defaults to the measured sizing and reads each setting from its variable', () => {
    expect(loadRuntimeConfig({})).toMatchObject(DEFAULT_WORKER_SIZING);
    expect(workerSizingOptions(loadRuntimeConfig({}))).toMatchObject({ maxCachedWorkflows: 400 });
    // 0 hands the cache size to the SDK, which sizes it from the heap.
    expect(workerSizingOptions(loadRuntimeConfig({ PENDOFLOW_MAX_CACHED_WORKFLOWS: '0' }))).not.toHaveProperty(
      'maxCachedWorkflows',
    );
    const config = loadRuntimeConfig({
      PENDOFLOW_MAX_CACHED_WORKFLOWS: '250',
      PENDOFLOW_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
      PENDOFLOW_MAX_CONCURRENT_ACTIVITIES: '32',
      PENDOFLOW_WORKFLOW_TASK_POLLERS: '4',
      PENDOFLOW_ACTIVITY_TASK_POLLERS: '6',
    });
    expect(workerSizingOptions(config)).toEqual({
      maxCachedWorkflows: 250,
      maxConcurrentWorkflowTaskExecutions: 8,
      maxConcurrentActivityTaskExecutions: 32,
      maxConcurrentWorkflowTaskPolls: 4,
      maxConcurrentActivityTaskPolls: 6,
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadRuntimeConfig({ PENDOFLOW_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(
      /PENDOFLOW_MAX_CACHED_WORKFLOWS: .*number/,
    );
    expect(() => loadRuntimeConfig({ PENDOFLOW_MAX_CONCURRENT_ACTIVITIES: '0' })).toThrow(
      /PENDOFLOW_MAX_CONCURRENT_ACTIVITIES: must be at least 1/,
    );
    expect(() => loadRuntimeConfig({ PENDOFLOW_WORKFLOW_TASK_POLLERS: '2.5' })).toThrow(
      /PENDOFLOW_WORKFLOW_TASK_POLLERS: must be a whole number/,
    );
  });

  it('keeps what the SDK requires: workflow slots within the cache, pollers within their slots', () => {
    const options = workerSizingOptions({
      maxCachedWorkflows: 5,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 3,
      maxConcurrentWorkflowTaskPolls: 10,
      maxConcurrentActivityTaskPolls: 10,
    });
    expect(options).toEqual({
      maxCachedWorkflows: 5,
      maxConcurrentWorkflowTaskExecutions: 5,
      maxConcurrentActivityTaskExecutions: 3,
      maxConcurrentWorkflowTaskPolls: 5,
      maxConcurrentActivityTaskPolls: 3,
    });
    expect(workerSizingOptions({ ...DEFAULT_WORKER_SIZING, maxCachedWorkflows: 0 })).not.toHaveProperty(
      'maxCachedWorkflows',
    );
  });
});
