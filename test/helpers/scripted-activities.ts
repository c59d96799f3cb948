import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../src/activities';
import type { TimeSkippingEnv } from './time-skipping';

/** One call a mocked activity received: its name, its input, and the attempt Temporal numbered it. */
export interface ActivityCall {
  name: string;
  input: unknown;
  attempt: number;
}

type Impl = (input: never) => Promise<unknown>;

/** Plain functions standing in for the worker's activities; every call is recorded before it runs. */
export class ScriptedActivities {
  readonly calls: ActivityCall[] = [];

  constructor(private readonly impls: Partial<Record<keyof Activities, Impl>>) {}

  /** The names of the calls, in order, optionally only those of `names`. */
  names(...names: (keyof Activities)[]): string[] {
    return this.calls
      .filter((c) => names.length === 0 || names.includes(c.name as keyof Activities))
      .map((c) => c.name);
  }

  inputs<T>(name: keyof Activities): T[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input as T);
  }

  activities(): Record<string, (input: unknown) => Promise<unknown>> {
    return Object.fromEntries(
      Object.entries(this.impls).map(([name, impl]) => [
        name,
        (input: unknown) => {
          this.calls.push({ name, input, attempt: Context.current().info.attempt });
          return (impl as (input: unknown) => Promise<unknown>)(input);
        },
      ]),
    );
  }
}

/** A failure as pendoflow's activities raise it: typed, and final when `nonRetryable`. */
export const failure = (type: string, message: string, nonRetryable = false): ApplicationFailure =>
  ApplicationFailure.create({ type, message, nonRetryable });

/** Holds a scripted step until the test opens it, so a signal can arrive while the step runs. */
export class Gate {
  private openGate!: () => void;
  private readonly opened = new Promise<void>((resolve) => {
    this.openGate = resolve;
  });
  open(): void {
    this.openGate();
  }
  wait(): Promise<void> {
    return this.opened;
  }
}

/** Runs `fn` with a worker of the bundled workflows and the scripted activities on a task queue of its own. */
export async function withWorker<T>(
  env: TimeSkippingEnv,
  scripted: ScriptedActivities,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const codePath = process.env.PENDOFLOW_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('PENDOFLOW_WORKFLOW_BUNDLE is not set: run the workflow project through jest');
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath },
    activities: scripted.activities(),
  });
  return worker.runUntil(fn(taskQueue));
}
