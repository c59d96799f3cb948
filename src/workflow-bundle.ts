import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BundleOptions, bundleWorkflowCode } from '@temporalio/worker';

/**
 * The SDK evaluates the workflow bundle's modules once for each workflow it keeps in its cache, unless a module is
 * preloaded: then it is evaluated once, frozen and shared by every workflow. These hold no state and import nothing
 * from the Temporal packages (test/unit/workflow-bundle.test.ts checks both, and that none is missing); sharing them
 * saves 40 to 70 KB per cached workflow (`npm run bench:footprint`).
 */
export const SHARED_WORKFLOW_MODULES = [
  'resources/index',
  'resources/registry',
  'workflows/capture/binding-progress',
  'workflows/capture/bounds',
  'workflows/capture/cursor',
  'workflows/capture/details',
  'workflows/capture/history-budget',
  'workflows/capture/ids',
  'workflows/capture/lag-text',
  'workflows/capture/reconfigure-check',
  'workflows/capture/reconfigure-schema',
  'workflows/capture/window-pool',
  'workflows/common/durations',
  'workflows/common/errors',
  'workflows/common/names',
  'workflows/common/static-details',
  'workflows/common/text-table',
  'workflows/common/time',
  'workflows/common/validate',
  'workflows/dataflow/details',
  'workflows/dataflow/fields',
  'workflows/dataflow/ids',
  'workflows/dataflow/names',
  'workflows/dataflow/schema',
  'workflows/pipeline/details',
] as const;

/** How every bundle of src/workflows is built: by the worker, `build-workflow-bundle`, the benchmarks and tests. */
export function workflowBundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> {
  return {
    workflowsPath: require.resolve('./workflows'),
    preloadModules: SHARED_WORKFLOW_MODULES.map((m) => require.resolve(`./${m}`)),
  };
}

const ignore = () => undefined;
const ERRORS_ONLY = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: console.error, log: ignore };

/** Bundles src/workflows as the worker does; `quiet` prints only the bundler's errors. */
export function bundleWorkflows({ quiet = false } = {}): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode({ ...workflowBundleOptions(), ...(quiet ? { logger: ERRORS_ONLY } : {}) });
}

/**
 * Bundles src/workflows in a child process (scripts/build-workflow-bundle.ts) and returns the bundle's path, for a
 * worker started without a prebuilt one: webpack then never loads into the worker, whose memory it would keep (an
 * idle worker measured 259 MB of RSS when it bundled itself, 165 MB with the bundle built apart).
 */
export async function bundleApart(): Promise<string> {
  const out = join(tmpdir(), `pendoflow-workflows-${process.pid}-${Date.now()}.js`);
  const args = [require.resolve('../bin/run-ts.js'), require.resolve('../scripts/build-workflow-bundle.ts'), out];
  try {
    await promisify(execFile)(process.execPath, args, { maxBuffer: 4 * 1024 * 1024 });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
    throw new Error(`bundling the workflows failed: ${stderr.split('\n').slice(-20).join('\n') || String(err)}`);
  }
  return out;
}
