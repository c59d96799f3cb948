import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { resolveOperatorSecret } from '../config/secrets';
import { keyError } from './payload-key-error';

export const ENCODING = 'binary/encrypted';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = 'encryption-key-id';

const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString();
export const isSealed = (payload: Payload): boolean => text(payload.metadata?.encoding) === ENCODING;
export const keyIdOf = (payload: Payload): string => text(payload.metadata?.[KEY_ID]) || 'default';

/**
 * Encrypts every payload (workflow inputs, results, signals, queries, memo) with AES-256-GCM, so inline
 * secrets and captured values are unreadable in the history without the key. `keyId` lets keys rotate.
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly key: Buffer,
    private readonly keyId = 'default',
  ) {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes (base64 of 32 random bytes)');
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

  /** Throws `PayloadKeyError`, naming the workflow and PENDOFLOW_ENCRYPTION_KEY, for a payload it cannot open. */
  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isSealed(payload)) return payload;
      const keyId = keyIdOf(payload);
      if (keyId !== this.keyId) throw keyError(context, 'unknown-key-id', keyId);
      const data = Buffer.from(payload.data ?? []);
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      let plain: Buffer;
      try {
        const decipher = createDecipheriv(ALGORITHM, this.key, iv);
        decipher.setAuthTag(tag);
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw keyError(context, 'wrong-key', keyId);
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** For a process without a key: passes plain payloads, and refuses sealed ones by name instead of "Unknown encoding". */
export class NoKeyCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const sealed = payloads.find(isSealed);
    if (sealed) throw keyError(context, 'no-key', keyIdOf(sealed));
    return payloads;
  }
}

/** The codec for a key reference, or none when encryption is off. */
export function codecFor(keyRef: string | undefined): AesGcmCodec | undefined {
  if (!keyRef) return undefined;
  return new AesGcmCodec(Buffer.from(resolveOperatorSecret(keyRef), 'base64'));
}

/** The codecs of a client or worker: encryption with the key, or a refusal by name of sealed payloads without one. */
export function payloadCodecs(keyRef: string | undefined): PayloadCodec[] {
  return [codecFor(keyRef) ?? new NoKeyCodec()];
}
