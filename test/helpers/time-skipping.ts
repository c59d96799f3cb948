import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, type NativeConnection, Runtime } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/common/search-attributes';

const ROOT = join(__dirname, '..', '..');

/** The time-skipping test server that scripts/setup installed, or TEMPORAL_TEST_SERVER_PATH. */
export function testServerPath(): string {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) return fromEnv;
  const recorded = join(ROOT, '.tools', 'test-server-path');
  if (existsSync(recorded)) return readFileSync(recorded, 'utf8').trim();
  throw new Error('no Temporal test server: run scripts/setup (it records .tools/test-server-path) first');
}

/**
 * `TestWorkflowEnvironment.createTimeSkipping` on the pinned test server (`existing-path`: nothing is downloaded).
 * Time moves on by itself only while a result is awaited (`result`) or when told to (`sleep`); time is global to the
 * server, so tests that share one run one at a time.
 */
export interface TimeSkippingEnv {
  client: Client;
  /** For `Worker.create({ connection })`. */
  nativeConnection: NativeConnection;
  /** Skips `duration` of server time; the workers run what falls due meanwhile. */
  sleep(duration: Duration): Promise<void>;
  /** The workflow's result, skipping time while it is awaited. */
  result<T>(handle: WorkflowHandle): Promise<T>;
  /** The server's clock. */
  nowMs(): Promise<number>;
  /** Runs `fn` first at teardown, before the connections close (a worker's shutdown, say). */
  atTeardown(fn: () => Promise<void>): void;
  teardown(): Promise<void>;
}

export async function startTimeSkipping(): Promise<TimeSkippingEnv> {
  const path = testServerPath();
  if (!existsSync(path)) throw new Error(`the Temporal test server is not at ${path}: run scripts/setup`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  // The test server offers no ListSearchAttributes, so the worker's own registration cannot be reused here.
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((key) => [key.name, keyword])),
  });
  const firsts: (() => Promise<void>)[] = [];
  return {
    client: env.client,
    nativeConnection: env.nativeConnection,
    sleep: (duration) => env.sleep(duration),
    // The environment's client unlocks time skipping while it waits for a result.
    result: <T>(handle: WorkflowHandle) => env.client.workflow.result(handle.workflowId) as Promise<T>,
    nowMs: () => env.currentTimeMs(),
    atTeardown(fn) {
      firsts.push(fn);
    },
    async teardown() {
      for (const fn of firsts) await fn().catch(() => undefined);
      await env.teardown();
    },
  };
}

/** Starts one time-skipping server for the calling test file and stops it after; `env()` is it. */
export function useTimeSkipping(): () => TimeSkippingEnv {
  let env: TimeSkippingEnv | undefined;
  jest.setTimeout(60_000);
  beforeAll(async () => {
    // Scripted failures are the point of these tests: keep the worker's warnings about them out of the output.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
    });
    env = await startTimeSkipping();
  });
  afterAll(async () => {
    await env?.teardown();
  });
  return () => {
    if (!env) throw new Error('the time-skipping server did not start (see beforeAll)');
    return env;
  };
}

/** Waits in real time (the workers run meanwhile) until `check` holds, or fails naming `what`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}
