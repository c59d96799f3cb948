import { Client, Connection } from '@temporalio/client';
import { codecFor, NoKeyCodec } from '../codec/aes-gcm-codec';
import type { RuntimeConfig } from '../config/runtime';

/** A Temporal client for the CLI, with the same codec as the worker. Close the connection when done. */
export async function connectClient(config: RuntimeConfig): Promise<{ client: Client; close: () => Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.address, connectTimeout: '10s' });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${config.address} (${(err as Error).message}). ` +
        'Start it (temporal server start-dev) or set TEMPORAL_ADDRESS.',
    );
  }
  const client = new Client({
    connection,
    namespace: config.namespace,
    dataConverter: { payloadCodecs: [codecFor(config.encryptionKey) ?? new NoKeyCodec()] },
  });
  return { client, close: () => connection.close() };
}
