import type { Client } from '@temporalio/client';
import { bindingOutcome } from '../../client/commands/capture/binding-outcome';
import type { BindingOutcome } from '../../workflows/capture/types';

/** Lets a capture workflow learn how its bindings' workflows closed, through the worker's Temporal client. */
export function createBindingWatchActivities(client: Client) {
  return {
    /**
     * For each binding workflow ID, how its workflow closed, or null while it runs. Read-only, so any retry is
     * harmless; no error is permanent.
     */
    async bindingOutcomes(workflowIds: string[]): Promise<(BindingOutcome | null)[]> {
      return Promise.all(workflowIds.map((id) => bindingOutcome(client, id)));
    },
  };
}

export type BindingWatchActivities = ReturnType<typeof createBindingWatchActivities>;
