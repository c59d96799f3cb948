import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleWorkflows } from '../../src/workflow-bundle';
import { startDevServer, type DevServer } from '../../scripts/lib/temporal-dev-server';

declare global {
  var __pendoflowDevServer: DevServer | undefined;
}

/** One dev server and one workflow bundle for every integration test file. */
export default async function globalSetup(): Promise<void> {
  const dir = join(__dirname, '..', '..', '.data', 'test');
  mkdirSync(dir, { recursive: true });
  const [server, bundle] = await Promise.all([
    startDevServer({
      // Small histories make continue-as-new happen within a test.
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 300 },
    }),
    bundleWorkflows({ quiet: true }),
  ]);
  const bundlePath = join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  globalThis.__pendoflowDevServer = server;
  process.env.TEMPORAL_ADDRESS = server.address;
  // The worker, the CLI and `temporal` read no Temporal profile of the user's (TLS or an API key for a cluster).
  const noProfiles = join(dir, 'temporal.toml');
  await writeFile(noProfiles, '');
  process.env.TEMPORAL_CONFIG_FILE = noProfiles;
  process.env.PENDOFLOW_WORKFLOW_BUNDLE = bundlePath;
}
