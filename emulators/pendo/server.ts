/** The HTTP server: dispatches /_emulator/* to the admin API and /[region]/api/v1/* through auth and faults. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminRouteLabel, handleAdmin } from './admin';
import { splitRegion } from './auth';
import type { EmulatorContext } from './context';
import { json, sendReply, text, type Reply } from './http';
import { apiRouteLabel, handleApi } from './routes-api';

const FAULT_REPLIES: Record<string, (status?: number) => Reply> = {
  '5xx': (status = 500) =>
    text(status, status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
  '429': () => text(429, 'Too Many Requests'),
  '429-retry-after': () => text(429, 'Too Many Requests', { 'retry-after': '1' }),
};

async function dispatch(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/_emulator/')) {
    const parts = url.pathname.slice('/_emulator/'.length).split('/').filter(Boolean).map(decodeURIComponent);
    const reply = await handleAdmin(ctx, req, parts, url.searchParams);
    ctx.stats.record(adminRouteLabel(method, parts), reply.status);
    return sendReply(res, reply);
  }
  const target = splitRegion(url.pathname);
  if (!target) {
    ctx.stats.record(`${method} (unknown)`, 404);
    return sendReply(res, json(404, { message: `no route for ${method} ${url.pathname}` }));
  }
  ctx.load.enter();
  res.once('close', () => ctx.load.leave());
  const label = apiRouteLabel(method, target.apiPath);
  const denied = ctx.keyRing.check(req.headers['x-pendo-integration-key'], target.region);
  if (denied) {
    ctx.stats.record(label, denied.status);
    return sendReply(res, denied);
  }
  const fault = ctx.faults.decide();
  if (fault.slowMs > 0) await sleep(fault.slowMs);
  const faultReply = FAULT_REPLIES[fault.kind]?.(fault.status);
  if (faultReply) {
    ctx.stats.record(label, faultReply.status);
    return sendReply(res, faultReply);
  }
  const reply = await handleApi(ctx, req, target.region, target.apiPath, url.searchParams);
  const reset = fault.kind === 'reset';
  ctx.stats.record(label, reset ? 'reset' : reply.status);
  return sendReply(res, reply, reset);
}

/** Creates the (not yet listening) server for a context. */
export function createEmulatorServer(ctx: EmulatorContext): Server {
  const server = createServer((req, res) => {
    dispatch(ctx, req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) void sendReply(res, json(500, { message: `emulator error: ${message}` }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}
