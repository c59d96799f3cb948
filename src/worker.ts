import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createActivities } from './activities';
import { codecFor } from './codec/aes-gcm-codec';
import type { RuntimeConfig } from './config/runtime';
import { SEARCH_ATTRIBUTES } from './shared/search-attributes';
import { LocalCollections } from './sinks/collections';
import { DeliveryLedger } from './sinks/delivery-ledger';
import { installRuntime } from './observability/runtime';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** Registers pendoflow's search attributes in the namespace when they are missing. */
export async function ensureSearchAttributes(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address, connectTimeout: '10s' }).catch((err: Error) => {
    throw new Error(`cannot reach Temporal at ${address} (${err.message}); start it or set TEMPORAL_ADDRESS`);
  });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.map((k) => k.name).filter((name) => !(name in (existing.customAttributes ?? {})));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
      });
    }
    return missing;
  } finally {
    await connection.close();
  }
}

/** Hosts the capture workflows and activities until SIGINT or SIGTERM; in-flight steps get a grace period. */
export async function runWorker(config: RuntimeConfig): Promise<void> {
  installRuntime({ logLevel: config.logLevel, metricsPort: config.metricsPort });
  const log = Runtime.instance().logger;
  const added = await ensureSearchAttributes(config.address, config.namespace);
  if (added.length) log.info('registered search attributes', { added });
  const codec = codecFor(config.encryptionKey);
  const connection = await NativeConnection.connect({ address: config.address });
  try {
    const collectionsDir = join(config.dataDir, 'collections');
    const worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      ...(config.workflowBundle
        ? { workflowBundle: { codePath: config.workflowBundle } }
        : { workflowsPath: require.resolve('./workflows') }),
      activities: createActivities({
        collections: new LocalCollections(collectionsDir),
        ledger: new DeliveryLedger(join(config.dataDir, 'deliveries')),
      }),
      dataConverter: codec ? { payloadCodecs: [codec] } : undefined,
      shutdownGraceTime: '10s',
    });
    log.info('worker polling', {
      taskQueue: config.taskQueue,
      address: config.address,
      namespace: config.namespace,
      collections: collectionsDir,
      encryptedPayloads: codec !== undefined,
      metrics: config.metricsPort ? `http://0.0.0.0:${config.metricsPort}/metrics` : 'off',
    });
    await worker.run();
  } finally {
    await connection.close();
  }
}
