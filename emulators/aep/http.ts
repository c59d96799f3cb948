import type { IncomingHttpHeaders } from 'node:http';

/** A parsed request as every API handler sees it. */
export interface EmuRequest {
  method: string;
  path: string;
  /** Decoded path segments, so a URL-encoded `$id` arrives as one segment. */
  parts: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Size of the body as received, even when it was too large to keep. */
  bodyBytes: number;
}

/** What a handler returns; the server serialises `body` as JSON unless it is undefined. */
export interface EmuResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by handlers to answer with an error envelope. */
export class EmuError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export type Json = Record<string, unknown>;

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): EmuResponse => ({
  status,
  body,
  headers,
});

export function header(req: EmuRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the JSON body; `invalid` builds the API-specific error for a missing or malformed one. */
export function jsonBody(req: EmuRequest, invalid: (why: string) => EmuError): unknown {
  if (req.body.length === 0) throw invalid('The request body cannot be null or empty.');
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
}

/** Reads a dotted path (`a.b[0].c`) from a JSON value. */
export function getPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '')) {
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (isObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

/** Writes a dotted path, creating intermediate objects. */
export function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.').filter(Boolean);
  let cur: Json = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      cur[key] = value;
      return;
    }
    if (!isObject(cur[key])) cur[key] = {};
    cur = cur[key] as Json;
  });
}

export const clone = <T>(v: T): T => structuredClone(v);
