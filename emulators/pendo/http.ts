/** Small HTTP helpers: replies as data, streamed bodies with backpressure, and mid-body connection resets. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  contentType: string;
  /** A whole body, or pieces produced lazily and sent in chunks (bytes as they stand). */
  body: string | Iterable<string | Buffer>;
  /** Awaited after each chunk of an iterable body (the latency model's pace). */
  pace?: () => Promise<void>;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const NDJSON_TYPE = 'application/x-ndjson; charset=utf-8';

export function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value), headers };
}

export function text(status: number, body: string, headers?: Record<string, string>): Reply {
  return { status, contentType: TEXT_TYPE, body, headers };
}

export class BodyTooLarge extends Error {}

/** Reads a request body as UTF-8, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const CHUNK_BYTES = 64 * 1024;

async function flush(res: ServerResponse, data: string | Buffer): Promise<void> {
  if (res.write(data)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function resetAfter(res: ServerResponse, data: string): Promise<void> {
  const part = data.slice(0, Math.max(1, Math.floor(data.length / 2)));
  return new Promise((resolve) => {
    res.write(part, () => {
      res.socket?.destroy();
      resolve();
    });
  });
}

/**
 * Sends a reply. Iterable bodies go out in ~64 KiB chunks, waiting for the socket to drain, and stop being pulled
 * as soon as the client goes away. With `reset`, part of the body is sent and then the socket is destroyed.
 */
export async function sendReply(res: ServerResponse, reply: Reply, reset = false): Promise<void> {
  const headers: Record<string, string> = { 'content-type': reply.contentType, ...reply.headers };
  if (typeof reply.body === 'string' && !reset) {
    res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(reply.body)) });
    res.end(reply.body);
    return;
  }
  res.writeHead(reply.status, headers);
  const pieces = typeof reply.body === 'string' ? [reply.body] : reply.body;
  let buffer = '';
  try {
    for (const piece of pieces) {
      if (typeof piece !== 'string' && !reset) {
        if (buffer) await flush(res, buffer);
        buffer = '';
        await flush(res, piece);
      } else {
        buffer += piece.toString();
        if (buffer.length < CHUNK_BYTES) continue;
        if (reset) return await resetAfter(res, buffer);
        await flush(res, buffer);
        buffer = '';
      }
      if (reply.pace) await reply.pace();
      if (res.destroyed || res.writableEnded) return;
    }
  } catch (err) {
    // Headers are gone already: the only honest signal left is a broken connection.
    res.destroy(err instanceof Error ? err : new Error(String(err)));
    return;
  }
  if (reset) return resetAfter(res, buffer);
  if (reply.pace) await reply.pace();
  res.end(buffer);
}
