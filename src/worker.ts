import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createActivities } from './activities';
import { createBindingWatchActivities } from './activities/binding-watch';
import { createPipelineActivities } from './activities/pipeline';
import { codecFor } from './codec/aes-gcm-codec';
import type { RuntimeConfig } from './config/runtime';
import { SEARCH_ATTRIBUTES } from './shared/search-attributes';
import { LocalCollections } from './sinks/collections';
import { DeliveryLedger } from './sinks/delivery-ledger';
import { installRuntime } from './observability/runtime';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

async function connect(address: string): Promise<Connection> {
  return Connection.connect({ address, connectTimeout: '10s' }).catch((err: Error) => {
    throw new Error(`cannot reach Temporal at ${address} (${err.message}); start it or set TEMPORAL_ADDRESS`);
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
  const clientConnection = await connect(config.address);
  const added = await ensureSearchAttributes(clientConnection, config.namespace);
  if (added.length) log.info('registered search attributes', { added });
  const codec = codecFor(config.encryptionKey);
  const dataConverter = codec ? { payloadCodecs: [codec] } : undefined;
  // Pipeline activities query the workflows a pipeline runs; a capture asks how its bindings' workflows closed.
  const client = new Client({ connection: clientConnection, namespace: config.namespace, dataConverter });
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
      activities: {
        ...createActivities({
          collections: new LocalCollections(collectionsDir),
          ledger: new DeliveryLedger(join(config.dataDir, 'deliveries')),
        }),
        ...createPipelineActivities(client),
        ...createBindingWatchActivities(client),
      },
      dataConverter,
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
    await clientConnection.close();
  }
}
