import { z } from 'zod';

/**
 * The worker's sizing settings and their environment variables. Unset, each takes pendoflow's default (chosen by
 * `npm run bench:scale`, README "Worker sizing"); `0` for a cache size means the SDK's own heap-based default.
 */
export const WORKER_SIZING_ENV = {
  maxCachedWorkflows: 'PENDOFLOW_MAX_CACHED_WORKFLOWS',
  maxConcurrentWorkflowTaskExecutions: 'PENDOFLOW_MAX_CONCURRENT_WORKFLOW_TASKS',
  maxConcurrentActivityTaskExecutions: 'PENDOFLOW_MAX_CONCURRENT_ACTIVITIES',
  maxConcurrentWorkflowTaskPolls: 'PENDOFLOW_WORKFLOW_TASK_POLLERS',
  maxConcurrentActivityTaskPolls: 'PENDOFLOW_ACTIVITY_TASK_POLLERS',
} as const;

export type WorkerSizing = { [K in keyof typeof WORKER_SIZING_ENV]: number };

/**
 * pendoflow's defaults; see the README for how they were measured. The cache holds 400 workflows, not the SDK's
 * heap-based size (about 2,000 on a 4 GB heap): a workflow not cached costs a replay when it wakes and saves about
 * 0.4 MB; in bench:scale 400 kept the worker at about 13 % of a core and 400 MB, where caching all 1,000 took
 * 10.6 % and 564 MB.
 */
export const DEFAULT_WORKER_SIZING: WorkerSizing = {
  maxCachedWorkflows: 400,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentWorkflowTaskPolls: 10,
  maxConcurrentActivityTaskPolls: 10,
};

const count = (min: number, fallback: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(100_000, 'must be at most 100000')
    .default(fallback);

export const WorkerSizingSchema = {
  maxCachedWorkflows: count(0, DEFAULT_WORKER_SIZING.maxCachedWorkflows),
  maxConcurrentWorkflowTaskExecutions: count(2, DEFAULT_WORKER_SIZING.maxConcurrentWorkflowTaskExecutions),
  maxConcurrentActivityTaskExecutions: count(1, DEFAULT_WORKER_SIZING.maxConcurrentActivityTaskExecutions),
  maxConcurrentWorkflowTaskPolls: count(2, DEFAULT_WORKER_SIZING.maxConcurrentWorkflowTaskPolls),
  maxConcurrentActivityTaskPolls: count(1, DEFAULT_WORKER_SIZING.maxConcurrentActivityTaskPolls),
};

/**
 * The Worker.create options for a sizing. A cache smaller than the workflow task slots is refused by the SDK, so the
 * slots are capped at the cache; pollers are capped at their slots, as the SDK requires.
 */
export function workerSizingOptions(s: WorkerSizing) {
  const cached = s.maxCachedWorkflows > 0 ? { maxCachedWorkflows: s.maxCachedWorkflows } : {};
  const workflowSlots =
    s.maxCachedWorkflows > 0
      ? Math.max(2, Math.min(s.maxConcurrentWorkflowTaskExecutions, s.maxCachedWorkflows))
      : s.maxConcurrentWorkflowTaskExecutions;
  return {
    ...cached,
    maxConcurrentWorkflowTaskExecutions: workflowSlots,
    maxConcurrentActivityTaskExecutions: s.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskPolls: Math.min(s.maxConcurrentWorkflowTaskPolls, workflowSlots),
    maxConcurrentActivityTaskPolls: Math.min(s.maxConcurrentActivityTaskPolls, s.maxConcurrentActivityTaskExecutions),
  };
}
