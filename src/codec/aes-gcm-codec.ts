import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { resolveSecret } from '../config/secrets';

export const ENCODING = 'binary/encrypted';
/** Where users find the key: the worker's setting, or the file the demo keeps it in. */
const WHERE_THE_KEY_IS =
  "the worker's key; the demo keeps it in .data/demo/encryption.key, so PENDOFLOW_ENCRYPTION_KEY=file:.data/demo/encryption.key";

/** Payloads are encrypted and this process has no key, or another key than the one they were encrypted with. */
export class EncryptionKeyError extends Error {
  override name = 'EncryptionKeyError';
}

const isEncrypted = (payload: Payload) => Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCODING;
const keyIdOf = (payload: Payload) => Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts every payload (workflow inputs, results, signals, queries, memo) with AES-256-GCM, so inline
 * secrets and captured values are unreadable in the history without the key. `keyId` lets keys rotate.
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly key: Buffer,
    private readonly keyId = 'default',
  ) {
    if (key.length !== 32) throw new Error('PENDOFLOW_ENCRYPTION_KEY must be 32 bytes (base64 of 32 random bytes)');
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, this.key, iv);
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), 'encryption-key-id': Buffer.from(this.keyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const data = Buffer.from(payload.data ?? []);
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      let plain: Buffer;
      try {
        const decipher = createDecipheriv(ALGORITHM, this.key, iv);
        decipher.setAuthTag(tag);
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new EncryptionKeyError(
          `payloads (key id '${keyIdOf(payload)}') do not decrypt with PENDOFLOW_ENCRYPTION_KEY: set it to ${WHERE_THE_KEY_IS}`,
        );
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** Without a key: leaves clear payloads alone, and refuses encrypted ones naming the variable to set. */
export class MissingKeyCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    const encrypted = payloads.find(isEncrypted);
    if (encrypted)
      throw new EncryptionKeyError(
        `payloads are encrypted (${ENCODING}, key id '${keyIdOf(encrypted)}') and PENDOFLOW_ENCRYPTION_KEY is not set: set it to ${WHERE_THE_KEY_IS}`,
      );
    return payloads;
  }
}

/** The codecs of a client or worker: encryption with the key, or a clear refusal of encrypted payloads without. */
export function payloadCodecs(keyRef: string | undefined): PayloadCodec[] {
  return [codecFor(keyRef) ?? new MissingKeyCodec()];
}

/** The codec for a key reference, or none when encryption is off. */
export function codecFor(keyRef: string | undefined): AesGcmCodec | undefined {
  if (!keyRef) return undefined;
  return new AesGcmCodec(Buffer.from(resolveSecret(keyRef), 'base64'));
}
