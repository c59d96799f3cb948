import { once } from 'node:events';
import { codecFor } from '../../../codec/aes-gcm-codec';
import { createCodecServer } from '../../../codec/codec-server';
import type { RuntimeConfig } from '../../../config/runtime';
import { resolveOperatorSecret } from '../../../config/secrets';

export interface CodecServerCommandOptions {
  port: number;
  host: string;
  corsOrigin: string[];
  /** A secret reference or value for the bearer token callers must send; none: no token needed. */
  authToken?: string;
  /** Namespaces to serve; default the runtime's one. */
  namespace?: string[];
}

/** `pendoflow codec-server`: decodes payloads for the Temporal UI and CLI, for those who hold PENDOFLOW_ENCRYPTION_KEY. */
export async function codecServerCommand(runtime: RuntimeConfig, opts: CodecServerCommandOptions): Promise<number> {
  const codec = codecFor(runtime.encryptionKey);
  if (!codec) throw new Error('PENDOFLOW_ENCRYPTION_KEY is not set: there is nothing to decode with');
  const namespaces = opts.namespace?.length ? opts.namespace : [runtime.namespace];
  const server = createCodecServer(codec, {
    corsOrigins: opts.corsOrigin,
    namespaces,
    authToken: opts.authToken ? resolveOperatorSecret(opts.authToken) : undefined,
  });
  server.listen(opts.port, opts.host);
  await once(server, 'listening');
  console.log(
    `codec server on http://${opts.host}:${opts.port} for namespace ${namespaces.join(', ')} ` +
      `(CORS: ${opts.corsOrigin.join(', ')}; ${opts.authToken ? 'bearer token required' : 'no token required'}); ` +
      `point the UI's codec endpoint and the CLI's --codec-endpoint here`,
  );
  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  server.close();
  console.log(`codec server stopped (${String(signal[0] ?? 'signal')})`);
  return 0;
}
