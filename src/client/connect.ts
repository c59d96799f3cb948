import { Client, Connection } from '@temporalio/client';
import { payloadCodecs } from '../codec/aes-gcm-codec';
import type { RuntimeConfig } from '../config/runtime';
import { connectionError, temporalConnectionOptions } from '../config/temporal-connection';

/** A Temporal client for the CLI, with the same codec as the worker. Close the connection when done. */
export async function connectClient(config: RuntimeConfig): Promise<{ client: Client; close: () => Promise<void> }> {
  const options = temporalConnectionOptions(config.temporal);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: '10s' });
  } catch (err) {
    throw connectionError(config.temporal, err);
  }
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: { payloadCodecs: payloadCodecs(config.encryptionKey) },
  });
  return { client, close: () => connection.close() };
}
