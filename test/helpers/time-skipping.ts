import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { InternalConnectionOptionsSymbol, type InternalConnectionOptions } from '@temporalio/client/lib/connection';
import { type Duration, msToTs, tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { freePort } from '../../scripts/lib/temporal-dev-server';
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
 * A time-skipping Temporal test server of its own, as `TestWorkflowEnvironment.createTimeSkipping` would start it
 * with an `existing-path` executable. Time moves on by itself only while a result is awaited (`result`) or when
 * told to (`sleep`); time is global to the server, so tests that share one run one at a time.
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

export async function startTimeSkipping(startTimeoutMs = 30_000): Promise<TimeSkippingEnv> {
  const path = testServerPath();
  if (!existsSync(path)) throw new Error(`the Temporal test server is not at ${path}: run scripts/setup`);
  const port = await freePort();
  const child: ChildProcess = spawn(path, [String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  const options: InternalConnectionOptions = {
    address,
    [InternalConnectionOptionsSymbol]: { supportsTestService: true },
  };
  const deadline = Date.now() + startTimeoutMs;
  let connection: Connection;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the test server at ${path} exited with ${child.exitCode}: ${stderr}`);
    try {
      connection = await Connection.connect({ ...options, connectTimeout: '2s' });
      await connection.workflowService.getSystemInfo({});
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the test server did not answer on ${address}: ${(err as Error).message} ${stderr}`);
      }
      await sleep(200);
    }
  }
  // The test server offers no ListSearchAttributes, so the worker's own registration cannot be reused here.
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((key) => [key.name, keyword])),
  });
  const testService = connection.testService;
  const nativeConnection = await NativeConnection.connect({ address }).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  if (!testService) throw new Error('the connection to the test server has no TestService');
  const firsts: (() => Promise<void>)[] = [];
  return {
    client: new Client({ connection }),
    nativeConnection,
    async sleep(duration) {
      await testService.unlockTimeSkippingWithSleep({ duration: msToTs(duration) });
    },
    async result<T>(handle: WorkflowHandle) {
      await testService.unlockTimeSkipping({});
      try {
        return (await handle.result()) as T;
      } finally {
        await testService.lockTimeSkipping({});
      }
    },
    async nowMs() {
      return tsToMs((await testService.getCurrentTime({})).time);
    },
    atTeardown(fn) {
      firsts.push(fn);
    },
    async teardown() {
      for (const fn of firsts) await fn().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await nativeConnection.close().catch(() => undefined);
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
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
