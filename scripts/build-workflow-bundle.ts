import { writeFile } from 'node:fs/promises';
import { bundleWorkflows } from '../src/workflow-bundle';

/** Bundles src/workflows once, for images, benchmarks and a worker starting without one (`bundleApart`). */
async function main(out = 'workflow-bundle.js'): Promise<void> {
  const { code } = await bundleWorkflows();
  await writeFile(out, code);
  console.log(`wrote ${out} (${Math.round(code.length / 1024)} KiB); set PENDOFLOW_WORKFLOW_BUNDLE=${out}`);
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
