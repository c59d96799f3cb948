import { rm } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { type Logger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createActivities } from './activities';
import { createDeliveryActivities } from './activities/pipeline/delivery';
import { createBindingWatchActivities } from './activities/capture/binding-watch';
import { createPipelineActivities } from './activities/pipeline/activities';
import { type AesGcmCodec, codecFor, NoKeyCodec } from './codec/aes-gcm-codec';
import { PayloadKeyError } from './codec/payload-key-error';
import { checkPoolPayloads } from './codec/pool-check';
import { RUNTIME_ENV, type RuntimeConfig } from './config/runtime';
import type { Store } from './store/contract';
import {
  connectionError,
  describeTemporal,
  temporalConnectionOptions,
  type TemporalSettings,
} from './config/temporal-connection';
import { workerTrust } from './config/trust';
import { workerSizingOptions } from './config/worker-sizing';
import { SEARCH_ATTRIBUTES } from './workflows/common/search-attributes';
import { openStore } from './store/open-store';
import { installRuntime } from './observability/runtime';
import { bundleApart } from './workflow-bundle';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

async function connect(settings: TemporalSettings): Promise<Connection> {
  return Connection.connect({ ...temporalConnectionOptions(settings), connectTimeout: '10s' }).catch((err: Error) => {
    throw connectionError(settings, err);
  });
}

/** Registers pendoflow's search attributes in the namespace when they are missing. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.map((k) => k.name).filter((name) => !(name in (existing.customAttributes ?? {})));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
  }
  return missing;
}

/** Hosts the capture workflows and activities until SIGINT or SIGTERM; in-flight steps get a grace period. */
export async function runWorker(config: RuntimeConfig): Promise<void> {
  installRuntime({ logLevel: config.logLevel, metricsPort: config.metricsPort });
  const log = Runtime.instance().logger;
  const clientConnection = await connect(config.temporal);
  const added = await ensureSearchAttributes(clientConnection, config.namespace);
  if (added.length) log.info('registered search attributes', { added });
  const keyed = codecFor(config.encryptionKey);
  // Without a key, sealed payloads still meet a codec, which names the missing setting instead of hanging the task.
  const codec = keyed ?? new NoKeyCodec();
  const dataConverter = { payloadCodecs: [codec] };
  await checkPool(clientConnection, config, codec, keyed !== undefined);
  // Pipeline activities query the workflows a pipeline runs.
  const client = new Client({ connection: clientConnection, namespace: config.namespace, dataConverter });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal)).catch((err: Error) => {
    throw connectionError(config.temporal, err);
  });
  let store: Store | undefined;
  try {
    // Migrations run here, before polling; two workers starting at once take turns (an advisory lock).
    store = await openStore(config, { migrate: true });
    const trust = workerTrust(config);
    const stores = { collections: store.collections, ledger: store.ledger, deadLetters: store.deadLetters };
    const codePath = config.workflowBundle ?? (await bundled(log));
    const worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      workflowBundle: { codePath },
      activities: {
        ...createActivities({ ...stores, trust }),
        ...createPipelineActivities(client),
        ...createDeliveryActivities({ ...stores, trust }),
        ...createBindingWatchActivities(client),
      },
      dataConverter,
      shutdownGraceTime: '10s',
      ...workerSizingOptions(config),
    }).finally(() => codePath !== config.workflowBundle && rm(codePath, { force: true }));
    log.info('worker polling', {
      taskQueue: config.taskQueue,
      temporal: describeTemporal(config.temporal),
      store: store.where,
      encryptedPayloads: keyed !== undefined,
      secretEnvAllow: trust.secrets.envAllow.join(','),
      secretFileDirs: trust.secrets.fileDirs.join(',') || 'none',
      extraHosts: trust.allowedHosts.join(',') || 'none',
      metrics: config.metricsPort ? `http://0.0.0.0:${config.metricsPort}/metrics` : 'off',
      ...workerSizingOptions(config),
    });
    await worker.run();
  } finally {
    await store?.close();
    await connection.close();
    await clientConnection.close();
  }
}

async function bundled(log: Logger): Promise<string> {
  const started = Date.now();
  const path = await bundleApart();
  log.info('bundled the workflows in a child process (PENDOFLOW_WORKFLOW_BUNDLE skips this)', {
    ms: Date.now() - started,
  });
  return path;
}

/**
 * Start-up check that this worker can open what the pool writes. A key mismatch ends the process here (the
 * caller exits non-zero); a check that cannot run (no visibility, a slow server) only warns, as the codec still
 * refuses sealed payloads loudly at run time.
 */
async function checkPool(
  connection: Connection,
  config: RuntimeConfig,
  codec: NoKeyCodec | AesGcmCodec,
  keyed: boolean,
) {
  const log = Runtime.instance().logger;
  try {
    const seen = await checkPoolPayloads(connection, {
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      codec,
    });
    if (seen.sealed === false && keyed) {
      log.warn(
        'the pool writes plain payloads but this worker encrypts them; workers without the key will fail its tasks',
        {
          workflowId: seen.workflowId,
          setting: RUNTIME_ENV.encryptionKey,
        },
      );
    }
  } catch (err) {
    if (err instanceof PayloadKeyError) {
      log.error('worker not started: it cannot decode what the pool encodes', {
        error: err,
        setting: RUNTIME_ENV.encryptionKey,
      });
      // The runtime logger buffers; the CLI exits right after this throw.
      Runtime.instance().flushLogs();
      throw new Error(`worker not started: ${err.message}`);
    }
    log.warn('could not check that this worker decodes what the pool encodes', { error: err as Error });
  }
}
