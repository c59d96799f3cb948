import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleCatalog } from './catalog';
import type { ApiContext, Emulator } from './context';
import { handleDataPrep } from './data-prep';
import { gatewayError, injectedError } from './errors';
import { handleFlowService } from './flow-service';
import { authenticate, resolveSandbox } from './gateway';
import { EmuError, header, type EmuRequest, type EmuResponse } from './http';
import { handleIms } from './ims';
import { handleInlet } from './inlet';
import { handleInspect } from './inspect';
import { handleSchemaRegistry } from './schema-registry';

/** Bodies beyond this are counted but not kept (the inlet answers 413 well before). */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;
const PLATFORM = '/data/foundation/';

/** Starts the HTTP server; one port serves IMS, every platform API, the inlets and `/_emulator`. */
export async function listen(emu: Emulator, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    void serve(emu, req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  emu.baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  return server;
}

async function readRequest(req: http.IncomingMessage): Promise<EmuRequest> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= MAX_KEPT_BYTES) chunks.push(chunk);
  }
  const url = new URL(req.url ?? '/', 'http://emulator');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    parts: url.pathname
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p)),
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks),
    bodyBytes: bytes,
  };
}

async function serve(emu: Emulator, raw: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let response: EmuResponse;
  let req: EmuRequest | undefined;
  try {
    req = await readRequest(raw);
    response = await route(emu, req);
  } catch (err) {
    response =
      err instanceof EmuError
        ? { status: err.status, body: err.body, headers: err.headers }
        : { status: 500, body: { error: 'internal emulator error', message: (err as Error).message } };
  }
  // Saved whatever the outcome: a refused request may still have changed state (an etag-race fault, a batch).
  if (req && req.method !== 'GET' && emu.persist) {
    try {
      emu.persist();
    } catch (err) {
      response = {
        status: 500,
        body: { error: 'the emulator could not save its state', message: (err as Error).message },
      };
    }
  }
  const payload = response.body === undefined ? undefined : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...response.headers,
  });
  res.end(payload);
  if (req && !req.path.startsWith('/_emulator')) {
    emu.store.record({ at: Date.now(), method: req.method, path: req.path, status: response.status });
  }
}

function apiOf(path: string): string | undefined {
  if (path === '/ims/token/v3') return 'ims';
  if (path.startsWith('/collection/')) return 'collection';
  if (path.startsWith(PLATFORM)) return path.slice(PLATFORM.length).split('/')[0];
  return undefined;
}

async function route(emu: Emulator, req: EmuRequest): Promise<EmuResponse> {
  if (req.parts[0] === '_emulator') return handleInspect(req, emu, req.parts.slice(1));
  const api = apiOf(req.path);
  if (!api) throw new EmuError(404, { error: `no API at ${req.path}` });

  const event = { method: req.method, path: req.path };
  const latency = emu.faults.fire('latency', event);
  if (latency?.ms) await sleep(latency.ms);
  const fault = emu.faults.fire('status', event);
  if (fault?.status) {
    const err = injectedError(api, fault.status);
    if (fault.retryAfterS !== undefined) err.headers['Retry-After'] = String(fault.retryAfterS);
    throw err;
  }

  if (api === 'ims') return handleIms(req, emu);
  if (api === 'collection') return handleInlet(req, emu, req.parts.slice(1));

  const principal = authenticate(req, emu);
  const contentType = header(req, 'content-type') ?? '';
  if (req.body.length > 0 && !contentType.includes('json')) {
    throw gatewayError(400, '400', 'A valid content-type must be specified');
  }
  const ctx: ApiContext = { emu, principal, sandbox: resolveSandbox(req, emu, api), now: Date.now() };
  const rest = req.parts.slice(3);
  switch (api) {
    case 'schemaregistry':
      return handleSchemaRegistry(req, ctx, rest);
    case 'catalog':
      return handleCatalog(req, ctx, rest);
    case 'conversion':
      return handleDataPrep(req, ctx, rest);
    case 'flowservice':
      return handleFlowService(req, ctx, rest);
    default:
      throw new EmuError(404, { error: `no API at ${req.path}` });
  }
}
