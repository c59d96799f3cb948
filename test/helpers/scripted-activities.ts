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

  /** Records the call, then runs the scripted function; an activity this test did not script fails, naming it. */
  call(name: string, input: unknown): Promise<unknown> {
    this.calls.push({ name, input, attempt: Context.current().info.attempt });
    const impl = this.impls[name as keyof Activities] as ((input: unknown) => Promise<unknown>) | undefined;
    if (!impl) return Promise.reject(failure('Unscripted', `this test scripted no activity ${name}`, true));
    return impl(input);
  }

  activities(): Record<string, (input: unknown) => Promise<unknown>> {
    return Object.fromEntries(
      Object.keys(this.impls).map((name) => [name, (input: unknown) => this.call(name, input)]),
    );
  }
}

function bundlePath(): string {
  const codePath = process.env.PENDOFLOW_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('PENDOFLOW_WORKFLOW_BUNDLE is not set: run the workflow project through jest');
  return codePath;
}

/**
 * One worker for a whole test file, serving `names`; each test hands it its scripted activities with the
 * function returned, which gives the worker's task queue. Cheaper than a worker per test, whose shutdown costs
 * seconds.
 */
export function useWorker(
  env: () => TimeSkippingEnv,
  names: readonly (keyof Activities)[],
): (scripted: ScriptedActivities) => string {
  const taskQueue = `wf-${randomUUID()}`;
  let current: ScriptedActivities | undefined;
  beforeAll(async () => {
    const route = (name: string) => (input: unknown) =>
      current ? current.call(name, input) : Promise.reject(new Error(`no test scripted ${name}`));
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: { codePath: bundlePath() },
      activities: Object.fromEntries(names.map((name) => [name, route(name)])),
    });
    const running = worker.run();
    env().atTeardown(async () => {
      worker.shutdown();
      await running;
    });
  });
  return (scripted) => {
    current = scripted;
    return taskQueue;
  };
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
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: bundlePath() },
    activities: scripted.activities(),
  });
  return worker.runUntil(fn(taskQueue));
}
