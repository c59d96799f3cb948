import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleWorkflows } from '../../src/workflow-bundle';
import { testServerPath } from './time-skipping';

/** One workflow bundle for every file of the workflow project; each file starts its own time-skipping server. */
export default async function workflowSetup(): Promise<void> {
  testServerPath();
  const dir = join(__dirname, '..', '..', '.data', 'test');
  mkdirSync(dir, { recursive: true });
  const bundle = await bundleWorkflows({ quiet: true });
  const bundlePath = join(dir, 'workflow-bundle-time-skipping.js');
  await writeFile(bundlePath, bundle.code);
  process.env.PENDOFLOW_WORKFLOW_BUNDLE = bundlePath;
}
