import { condition } from '@temporalio/workflow';

/** A workflow that only waits: what the SDK itself keeps for each cached workflow. */
export async function idle(): Promise<void> {
  await condition(() => false);
}
