import { once } from 'node:events';
import { codecFor } from '../../codec/aes-gcm-codec';
import { createCodecServer } from '../../codec/codec-server';
import type { RuntimeConfig } from '../../config/runtime';

/** `pendoflow codec-server`: decodes payloads for the Temporal UI, for those who hold PENDOFLOW_ENCRYPTION_KEY. */
export async function codecServerCommand(
  runtime: RuntimeConfig,
  opts: { port: number; host: string; corsOrigin: string[] },
): Promise<number> {
  const codec = codecFor(runtime.encryptionKey);
  if (!codec) throw new Error('PENDOFLOW_ENCRYPTION_KEY is not set: there is nothing to decode with');
  const server = createCodecServer(codec, opts.corsOrigin);
  server.listen(opts.port, opts.host);
  await once(server, 'listening');
  console.log(
    `codec server on http://${opts.host}:${opts.port} (CORS: ${opts.corsOrigin.join(', ')}); point the UI's codec endpoint here`,
  );
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  server.close();
  return 0;
}
