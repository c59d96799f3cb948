import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServerOptions {
  /** Browser origins (the Temporal UI's) allowed to call it; other origins get no CORS headers. */
  corsOrigins: string[];
  /** When set, every encode/decode must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Namespaces it serves; a request whose `X-Namespace` names another one is refused. Empty: any. */
  namespaces?: string[];
  /** Largest request body accepted. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

const fromJson = (payload: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  ),
  data: Buffer.from(payload.data ?? '', 'base64'),
});

const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A remote codec endpoint for the Temporal UI and the `temporal` CLI, after Temporal's codec-server protocol:
 * `POST …/decode` and `POST …/encode` with `{"payloads": [...]}` in protobuf JSON. Only the last path segment
 * selects the operation, query strings (the UI's `?preserveStorageRefs=true`) are ignored, CORS preflights are
 * answered for the configured origins, and `X-Namespace` is checked against the namespaces it serves.
 * Whoever passes these checks reads decoded payloads: set `authToken` wherever others can reach it.
 */
export function createCodecServer(codec: PayloadCodec, options: CodecServerOptions): Server {
  return createServer((req, res) => {
    void handle(codec, options, req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 400;
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`codec server: ${message}`);
    });
  });
}

async function handle(
  codec: PayloadCodec,
  options: CodecServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const origin = req.headers.origin;
  const allowedOrigin = origin !== undefined && options.corsOrigins.includes(origin);
  if (allowedOrigin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS') {
    if (!allowedOrigin) throw new HttpError(403, `origin ${origin ?? '(none)'} is not allowed (--cors-origin)`);
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader(
      'access-control-allow-headers',
      req.headers['access-control-request-headers'] ?? 'content-type, x-namespace, authorization',
    );
    res.setHeader('access-control-max-age', '600');
    res.writeHead(204).end();
    return;
  }
  const operation = operationOf(req.url);
  if (req.method !== 'POST' || !operation) {
    throw new HttpError(404, 'POST …/decode or …/encode');
  }
  authorize(req, options);
  const body = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY);
  const payloads = parsePayloads(body).map(fromJson);
  const out = operation === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payloads: out.map(toJson) }));
}

/** The operation named by the URL's last path segment, whatever the prefix and query. */
export function operationOf(url: string | undefined): 'decode' | 'encode' | undefined {
  const path = new URL(url ?? '/', 'http://codec').pathname.replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last === 'decode' || last === 'encode' ? last : undefined;
}

function authorize(req: IncomingMessage, options: CodecServerOptions): void {
  const namespace = headerValue(req, 'x-namespace');
  if (namespace && options.namespaces?.length && !options.namespaces.includes(namespace)) {
    throw new HttpError(403, `namespace ${namespace} is not served here`);
  }
  if (options.authToken === undefined) return;
  const given = /^Bearer\s+(.+)$/i.exec(headerValue(req, 'authorization') ?? '')?.[1]?.trim() ?? '';
  const expected = Buffer.from(options.authToken);
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new HttpError(401, 'a valid Authorization: Bearer token is required');
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, `request body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString();
}

function parsePayloads(body: string): JsonPayload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || '{}');
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  const payloads = (parsed as { payloads?: unknown }).payloads ?? [];
  if (!Array.isArray(payloads)) throw new HttpError(400, '"payloads" must be an array');
  return payloads as JsonPayload[];
}
