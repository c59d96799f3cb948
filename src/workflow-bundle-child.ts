import { writeFile } from 'node:fs/promises';
import { bundleWorkflows } from './workflow-bundle';

/** `run-ts.js src/workflow-bundle-child.ts <out>`: the bundle a worker starting without one loads (see bundleApart). */
bundleWorkflows({ quiet: true })
  .then(({ code }) => writeFile(process.argv[2] as string, code))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
