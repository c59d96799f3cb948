import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, ENCODING, NoKeyCodec } from '../../src/codec/aes-gcm-codec';
import { createCodecServer } from '../../src/codec/codec-server';

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

describe('payloads this process cannot open', () => {
  const context = { type: 'workflow' as const, namespace: 'default', workflowId: 'pendo-capture:acme' };

  it('issue 8 finding 7: a wrong key or a key id it does not hold is refused naming the workflow and PENDOFLOW_ENCRYPTION_KEY', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
    const otherKey = new AesGcmCodec(randomBytes(32)).decode([sealed!], context);
    await expect(otherKey).rejects.toThrow(/pendo-capture:acme.*different key.*PENDOFLOW_ENCRYPTION_KEY/);
    const otherId = new AesGcmCodec(key, 'k2').decode([sealed!], context);
    await expect(otherId).rejects.toThrow(/pendo-capture:acme.*key id 'default'.*PENDOFLOW_ENCRYPTION_KEY/);
  });

  it('issue 8 finding 7: without a key, a sealed payload is refused by name and a plain one passes', async () => {
    const plain = defaultPayloadConverter.toPayload(secret);
    const [sealed] = await codec.encode([plain]);
    const keyless = new NoKeyCodec();
    await expect(keyless.decode([plain, sealed!], context)).rejects.toThrow(
      /pendo-capture:acme.*binary\/encrypted.*PENDOFLOW_ENCRYPTION_KEY is not set/,
    );
    expect(await keyless.decode([plain], context)).toEqual([plain]);
    expect(await keyless.encode([plain])).toEqual([plain]);
  });
});

describe('codec server', () => {
  it('decodes for the Temporal UI origin, with CORS only for that origin', async () => {
    const server = createCodecServer(codec, ['http://localhost:8233']);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
      const body = JSON.stringify({
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(sealed!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
            ),
            data: Buffer.from(sealed!.data!).toString('base64'),
          },
        ],
      });
      const res = await fetch(`${url}/decode`, {
        method: 'POST',
        body,
        headers: { origin: 'http://localhost:8233', 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      const decoded = (await res.json()) as { payloads: { data: string }[] };
      expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).toEqual(secret);

      const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      server.close();
    }
  });
});
