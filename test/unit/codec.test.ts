import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, ENCODING } from '../../src/codec/aes-gcm-codec';
import { createCodecServer, operationOf } from '../../src/codec/codec-server';

const key = randomBytes(32);
const codec = new AesGcmCodec(key);
const secret = { accessToken: 'inline-pendo-key-1234567890.us' };

describe('AES-256-GCM payload codec', () => {
  it('seals payloads so the secret is not in the bytes, and opens them again', async () => {
    const plain = defaultPayloadConverter.toPayload(secret);
    const [sealed] = await codec.encode([plain]);
    expect(Buffer.from(sealed?.metadata?.encoding ?? []).toString()).toBe(ENCODING);
    expect(Buffer.from(sealed?.data ?? []).toString('latin1')).not.toContain('inline-pendo-key');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
  });

  it('refuses a tampered payload and a wrong key', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
    const data = Buffer.from(sealed!.data!);
    data[20] = (data[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow();
    await expect(new AesGcmCodec(randomBytes(32)).decode([sealed!])).rejects.toThrow();
    expect(() => new AesGcmCodec(randomBytes(16))).toThrow(/32 bytes/);
  });
});

const toJsonPayload = (p: {
  metadata?: Record<string, Uint8Array | null | undefined> | null;
  data?: Uint8Array | null;
}) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
  ),
  data: Buffer.from(p.data!).toString('base64'),
});

async function withCodecServer(
  options: Parameters<typeof createCodecServer>[1],
  fn: (url: string) => Promise<void>,
): Promise<void> {
  const server = createCodecServer(codec, options);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
}

async function sealedBody(): Promise<string> {
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
  return JSON.stringify({ payloads: [toJsonPayload(sealed!)] });
}

const decodedValue = async (res: Response) => {
  const decoded = (await res.json()) as { payloads: { data: string }[] };
  return JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()) as unknown;
};

const UI = 'http://localhost:8233';

describe('codec server', () => {
  it('decodes for the Temporal UI origin, with CORS only for that origin', async () => {
    await withCodecServer({ corsOrigins: [UI] }, async (url) => {
      const res = await fetch(`${url}/decode`, {
        method: 'POST',
        body: await sealedBody(),
        headers: { origin: UI, 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(UI);
      expect(await decodedValue(res)).toEqual(secret);

      const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('answers the requests Temporal UI 2.5x sends: preflight, then POST /decode?preserveStorageRefs=true', async () => {
    await withCodecServer({ corsOrigins: [UI], namespaces: ['default'] }, async (url) => {
      const preflight = await fetch(`${url}/decode?preserveStorageRefs=true`, {
        method: 'OPTIONS',
        headers: {
          origin: UI,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-namespace');

      const res = await fetch(`${url}/decode?preserveStorageRefs=true`, {
        method: 'POST',
        body: await sealedBody(),
        headers: { origin: UI, 'content-type': 'application/json', 'x-namespace': 'default' },
      });
      expect(res.status).toBe(200);
      expect(await decodedValue(res)).toEqual(secret);

      // "Send a Signal" in the UI encodes its JSON input through /encode first.
      const plain = defaultPayloadConverter.toPayload({ reason: 'test' });
      const encoded = await fetch(`${url}/encode?preserveStorageRefs=true`, {
        method: 'POST',
        body: JSON.stringify({ payloads: [toJsonPayload(plain)] }),
        headers: { origin: UI, 'content-type': 'application/json', 'x-namespace': 'default' },
      });
      expect(encoded.status).toBe(200);
      const { payloads } = (await encoded.json()) as { payloads: { metadata: Record<string, string> }[] };
      expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe(ENCODING);
    });
  });

  it('answers the request the temporal CLI sends with --codec-endpoint and --codec-auth, under any path prefix', async () => {
    await withCodecServer({ corsOrigins: [], authToken: 'tok-123', namespaces: ['default'] }, async (url) => {
      const headers = { 'content-type': 'application/json', 'x-namespace': 'default' };
      const ok = await fetch(`${url}/codec/default/decode`, {
        method: 'POST',
        body: await sealedBody(),
        headers: { ...headers, authorization: 'Bearer tok-123' },
      });
      expect(ok.status).toBe(200);
      expect(await decodedValue(ok)).toEqual(secret);

      const missing = await fetch(`${url}/decode`, { method: 'POST', body: await sealedBody(), headers });
      expect(missing.status).toBe(401);
      expect(await missing.text()).toMatch(/Authorization: Bearer/);
      const wrong = await fetch(`${url}/decode`, {
        method: 'POST',
        body: await sealedBody(),
        headers: { ...headers, authorization: 'Bearer tok-124' },
      });
      expect(wrong.status).toBe(401);
    });
  });

  it('refuses another namespace, a bad body and an unknown operation with a readable status', async () => {
    await withCodecServer({ corsOrigins: [], namespaces: ['default'] }, async (url) => {
      const other = await fetch(`${url}/decode`, {
        method: 'POST',
        body: await sealedBody(),
        headers: { 'content-type': 'application/json', 'x-namespace': 'payments' },
      });
      expect(other.status).toBe(403);
      expect(await other.text()).toMatch(/namespace payments/);
      const bad = await fetch(`${url}/decode`, { method: 'POST', body: '{not json' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/not JSON/);
      const unknown = await fetch(`${url}/download`, { method: 'POST', body: '{}' });
      expect(unknown.status).toBe(404);
    });
  });
});

describe('operationOf', () => {
  it.each([
    ['/decode', 'decode'],
    ['/encode?preserveStorageRefs=true', 'encode'],
    ['/ns/default/decode/', 'decode'],
    ['/decoder', undefined],
    ['/', undefined],
  ])('%s → %s', (url, op) => {
    expect(operationOf(url)).toBe(op);
  });
});
