import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflows } from '../../src/workflow-bundle';
import { startAepEmulator, type RunningAepEmulator } from '../../emulators/aep';
import { startPendoEmulator, type RunningPendoEmulator } from '../../emulators/pendo';
import { freePort, startDevServer, type DevServer } from '../../scripts/lib/temporal-dev-server';
import { codecFor } from '../../src/codec/aes-gcm-codec';
import { createCodecServer } from '../../src/codec/codec-server';
import { loadRuntimeConfig, type RuntimeConfig } from '../../src/config/runtime';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

/**
 * What a user of the Temporal UI runs: a dev server serving its UI, pointed at pendoflow's codec server,
 * a worker process with payload encryption on, and both emulators.
 */
export interface UiStack {
  uiUrl: string;
  codecUrl: string;
  runtime: RuntimeConfig;
  pendo: RunningPendoEmulator;
  aep: RunningAepEmulator;
  /** The values that must never reach a page: the encryption key and the API credentials. */
  secrets: string[];
  stop(): Promise<void>;
}

export async function startUiStack(): Promise<UiStack> {
  const encryptionKey = randomBytes(32).toString('base64');
  const codec = codecFor(encryptionKey);
  if (!codec) throw new Error('no codec for a fresh key');
  const dataDir = await mkdtemp(join(tmpdir(), 'pendoflow-browser-'));
  const [uiPort, codecPort] = await Promise.all([freePort(), freePort()]);
  const uiOrigins = [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];
  const codecUrl = `http://127.0.0.1:${codecPort}`;

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const codecServer: Server = createCodecServer(codec, { corsOrigins: uiOrigins, namespaces: ['default'] });
    await new Promise<void>((resolve) => codecServer.listen(codecPort, '127.0.0.1', resolve));
    stops.push(() => new Promise<void>((resolve) => codecServer.close(() => resolve())));

    const [server, bundle, pendo, aep] = await Promise.all([
      startDevServer({ uiPort, uiCodecEndpoint: codecUrl }),
      bundleWorkflows({ quiet: true }),
      startPendoEmulator({ seed: 9, lateFraction: 0 }),
      startAepEmulator({ port: 0 }),
    ]);
    const devServer: DevServer = server;
    stops.push(
      () => devServer.stop(),
      () => pendo.close(),
      () => aep.close(),
    );
    const bundlePath = join(dataDir, 'workflow-bundle.js');
    await writeFile(bundlePath, bundle.code);

    const runtime: RuntimeConfig = loadRuntimeConfig({
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_CONFIG_FILE: '/dev/null',
      PENDOFLOW_TASK_QUEUE: `browser-${Date.now()}`,
      PENDOFLOW_DATA_DIR: dataDir,
      PENDOFLOW_ENCRYPTION_KEY: encryptionKey,
      PENDOFLOW_LOG_LEVEL: 'WARN',
    });
    const worker: WorkerProcess = await startWorkerProcess({
      TEMPORAL_ADDRESS: devServer.address,
      PENDOFLOW_TASK_QUEUE: runtime.taskQueue,
      PENDOFLOW_ALLOWED_HOSTS: '127.0.0.1',
      PENDOFLOW_DATA_DIR: dataDir,
      PENDOFLOW_WORKFLOW_BUNDLE: bundlePath,
      PENDOFLOW_ENCRYPTION_KEY: encryptionKey,
      PENDO_UI_KEY: pendo.key,
      AEP_UI_SECRET: aep.clientSecret,
    });
    stops.push(() => worker.stop());
    return {
      uiUrl: devServer.uiUrl as string,
      codecUrl,
      runtime,
      pendo,
      aep,
      secrets: [encryptionKey, pendo.key, aep.clientSecret],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
