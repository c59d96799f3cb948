import { ApplicationFailure } from '@temporalio/workflow';
import { describeIssues } from './schema';
import type { Schema } from '../common/validate';
import type { DataflowState } from './types';

/** The changes a dataflow takes, each by signal and (but `delete`) by Update. */
export type DataflowChange = 'update' | 'updateAccount' | 'delete';

export type Checked<Args> = { ok: true; args: Args } | { ok: false; type: string; message: string };

/**
 * The one check of a change's argument, for the signal and the Update alike: it must parse, and only `delete` is
 * taken once the dataflow is being deleted (or is deleted or failed). Pure: it reads `state`, never changes it.
 */
export function checkChange<Args>(
  change: DataflowChange,
  schema: Schema<Args>,
  args: unknown,
  state: DataflowState,
): Checked<Args> {
  const parsed = schema.safeParse(args ?? {});
  if (!parsed.success) return { ok: false, type: 'InvalidSignal', message: describeIssues(parsed.error) };
  const closing = state.deleteRequested !== null || ['deleting', 'deleted', 'failed'].includes(state.phase);
  if (closing && change !== 'delete') {
    const message = `the dataflow is ${state.phase === 'deleted' ? 'deleted' : 'being deleted'}`;
    return { ok: false, type: 'DataflowClosing', message };
  }
  return { ok: true, args: parsed.data };
}

/** What a rejected or failed Update answers with. */
export const changeFailure = (change: DataflowChange, failure: { type: string; message: string }) =>
  ApplicationFailure.create({ type: failure.type, message: `${change}: ${failure.message}`, nonRetryable: true });
