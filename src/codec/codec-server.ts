import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * The Temporal UI's remote codec endpoint: `POST /decode` and `POST /encode` with `{"payloads": [...]}`.
 * Only origins in `corsOrigins` may call it from a browser; whoever reaches it can read decoded payloads,
 * so bind it where only the people who hold the key can.
 */
export function createCodecServer(codec: PayloadCodec, corsOrigins: string[]): Server {
  return createServer((req, res) => {
    void handle(codec, corsOrigins, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`cannot ${req.url?.slice(1)}: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
}

async function handle(
  codec: PayloadCodec,
  corsOrigins: string[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const origin = req.headers.origin;
  if (origin && corsOrigins.includes(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
    res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(origin && corsOrigins.includes(origin) ? 204 : 403).end();
    return;
  }
  if (req.method !== 'POST' || (req.url !== '/decode' && req.url !== '/encode')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /decode or /encode');
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { payloads?: JsonPayload[] };
  const payloads = (body.payloads ?? []).map(fromJson);
  const out = req.url === '/decode' ? await codec.decode(payloads) : await codec.encode(payloads);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payloads: out.map(toJson) }));
}
