import type { SerializationContext } from '@temporalio/common';
import { RUNTIME_ENV } from '../config/runtime';

/** A sealed payload this process cannot open: no key, a key id it does not hold, or a different key. */
export class PayloadKeyError extends Error {
  override readonly name = 'PayloadKeyError';
}

/** "workflow X" (or "activity A of workflow X") when the SDK says whose payload it is. */
export function payloadOwner(context: SerializationContext | undefined): string {
  if (!context) return 'a payload';
  const workflow = context.workflowId ? `workflow ${context.workflowId}` : 'a workflow';
  if (context.type === 'activity' && context.activityId) return `activity ${context.activityId} of ${workflow}`;
  return workflow;
}

/** The one message for every way a key can be missing or wrong; it names the setting to fix. */
export function keyError(
  context: SerializationContext | undefined,
  problem: 'no-key' | 'unknown-key-id' | 'wrong-key',
  keyId: string,
): PayloadKeyError {
  const setting = RUNTIME_ENV.encryptionKey;
  const owner = payloadOwner(context);
  const why = {
    'no-key': `is encrypted (binary/encrypted, key id '${keyId}') but ${setting} is not set on this process`,
    'unknown-key-id': `is encrypted with key id '${keyId}', which this process's ${setting} does not hold`,
    'wrong-key': `is encrypted (key id '${keyId}') with a different key than this process's ${setting}`,
  }[problem];
  return new PayloadKeyError(
    `cannot decode ${owner}: it ${why}; give every worker and the CLI the same ${setting} ` +
      `(the demo keeps it in .data/demo/encryption.key: ${setting}=file:.data/demo/encryption.key)`,
  );
}
