import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, payloadCodecs } from '../../src/codec/aes-gcm-codec';
import { PayloadKeyError } from '../../src/codec/payload-key-error';

const key = randomBytes(32).toString('base64');
const other = randomBytes(32).toString('base64');
const plain = defaultPayloadConverter.toPayload({ state: 'running' });

describe('issue 9 point 2: a client without the right key says which variable to set', () => {
  it('issue 9 point 2: without a key, clear payloads pass and encrypted ones name PENDOFLOW_ENCRYPTION_KEY', async () => {
    const [sealed] = await new AesGcmCodec(Buffer.from(key, 'base64')).encode([plain]);
    const [noKey] = payloadCodecs(undefined);
    expect(await noKey?.decode([plain])).toEqual([plain]);
    expect(await noKey?.encode([plain])).toEqual([plain]);
    await expect(noKey?.decode([plain, sealed!])).rejects.toThrow(PayloadKeyError);
    await expect(noKey?.decode([sealed!])).rejects.toThrow(
      "it is encrypted (binary/encrypted, key id 'default') but PENDOFLOW_ENCRYPTION_KEY is not set on this process; " +
        'give every worker and the CLI the same PENDOFLOW_ENCRYPTION_KEY ' +
        '(the demo keeps it in .data/demo/encryption.key: PENDOFLOW_ENCRYPTION_KEY=file:.data/demo/encryption.key)',
    );
  });

  it('issue 9 point 2: another key is refused naming PENDOFLOW_ENCRYPTION_KEY, and neither key is shown', async () => {
    const [sealed] = await payloadCodecs(key)[0]!.encode([plain]);
    const wrong = payloadCodecs(other)[0]!;
    const err = await wrong.decode([sealed!]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(PayloadKeyError);
    expect(err?.message).toMatch(/with a different key than this process's PENDOFLOW_ENCRYPTION_KEY/);
    expect(err?.message).not.toContain(key);
    expect(err?.message).not.toContain(other);
    const [opened] = await payloadCodecs(key)[0]!.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ state: 'running' });
  });
});
