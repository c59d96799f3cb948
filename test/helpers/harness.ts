import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { REGISTRY, type Row } from '../../src/resources';
import { documentKey } from '../../src/resources/keys';
import type { BindingSpec, CaptureSettings, CaptureSpec } from '../../src/workflows/capture/types';
import type { ResourceName } from '../../src/resources';
import { LocalCollections } from '../../src/store/collections';
import { recordHistories } from './record-histories';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export const HOUR = 3_600_000;

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run integration tests through jest (global setup)');
  return address;
}

export async function connectTestClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** Polls `check` until it returns a value (not undefined/false), or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await sleep(300);
  }
}

/** A private data folder and task queue, and a worker process on them. */
export class TestWorld {
  private constructor(
    readonly dataDir: string,
    readonly taskQueue: string,
    readonly workerEnv: Record<string, string>,
  ) {}
  worker: WorkerProcess | undefined;

  static async create(name: string, env: Record<string, string> = {}): Promise<TestWorld> {
    const dataDir = await mkdtemp(join(tmpdir(), `pendoflow-${name}-`));
    const taskQueue = `test-${name}-${Date.now()}`;
    return new TestWorld(dataDir, taskQueue, {
      TEMPORAL_ADDRESS: temporalAddress(),
      PENDOFLOW_TASK_QUEUE: taskQueue,
      PENDOFLOW_DATA_DIR: dataDir,
      PENDOFLOW_WORKFLOW_BUNDLE: process.env.PENDOFLOW_WORKFLOW_BUNDLE ?? '',
      // The emulators listen on loopback; a worker sends only to Pendo's and Adobe's hosts unless told.
      PENDOFLOW_ALLOWED_HOSTS: '127.0.0.1,localhost',
      ...env,
    });
  }

  get collections(): LocalCollections {
    return new LocalCollections(join(this.dataDir, 'collections'));
  }

  async startWorker(): Promise<WorkerProcess> {
    this.worker = await startWorkerProcess(this.workerEnv);
    return this.worker;
  }

  async dispose(): Promise<void> {
    try {
      // With PENDOFLOW_RECORD_HISTORIES set, the histories this world's worker ran become replay fixtures.
      await recordHistories(this.workerEnv.TEMPORAL_ADDRESS ?? temporalAddress(), this.taskQueue);
    } finally {
      await this.worker?.stop();
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }

  async documents(target: string): Promise<Row[]> {
    const out: Row[] = [];
    for await (const line of this.collections.lines(target)) out.push(JSON.parse(line) as Row);
    return out;
  }
}

/** Lists of `kinds` (`page`, `feature`, ...) the emulator has served with a 200 so far: a snapshot binding's polls. */
export async function listsServed(baseUrl: string, ...kinds: string[]): Promise<number> {
  const stats = (await (await fetch(`${baseUrl}/_emulator/stats`)).json()) as Record<string, Record<string, number>>;
  return kinds.reduce((n, kind) => n + (stats[`GET /api/v1/${kind}`]?.['200'] ?? 0), 0);
}

/** What the emulator would return now, from its inspection API. */
export async function emulatorTruth(baseUrl: string, source: string, first?: number, last?: number): Promise<Row[]> {
  const query = first === undefined ? '' : `?first=${first}&last=${last}`;
  const res = await fetch(`${baseUrl}/_emulator/truth/${source}${query}`);
  if (!res.ok) throw new Error(`truth ${source}: HTTP ${res.status} ${await res.text()}`);
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
}

export function captureSpec(opts: {
  name: string;
  baseUrl: string;
  keyRef: string;
  resources: ResourceName[];
  settings?: Partial<CaptureSettings>;
}): CaptureSpec {
  const settings: CaptureSettings = {
    startMs: Date.now() - HOUR,
    intervalMs: 1000,
    limits: { incrementalLimit: 1000, backfillLimit: 5000, windowHours: 24, requestTimeoutMs: 30_000 },
    lateData: { mode: 'rescan', processingDelayMs: 0, rescanWindowMs: 0, rescanEveryMs: HOUR, settleDelayMs: 8 * HOUR },
    ...opts.settings,
  };
  const bindings: BindingSpec[] = opts.resources.map((resource) => ({ resource, target: `${opts.name}/${resource}` }));
  return { name: opts.name, endpoint: { accessToken: opts.keyRef, baseUrl: opts.baseUrl }, settings, bindings };
}

/** Strips pendoflow's `_meta` so documents compare with what Pendo serves. */
export function withoutMeta(doc: Row): Row {
  const { _meta: _ignored, ...rest } = doc;
  return rest;
}

export const byId = (a: Row, b: Row) => String(a.id).localeCompare(String(b.id));

/**
 * Asserts that a collection holds exactly the emulator's rows for [fromMs, toMs): the same keys, each once,
 * with the same values. Returns how many rows the truth has.
 */
export async function expectCollectionEqualsTruth(
  world: TestWorld,
  emulatorUrl: string,
  target: string,
  resource: ResourceName,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const def = REGISTRY[resource];
  const docs = await world.documents(target);
  const keys = docs.map((d) => documentKey(def, d));
  expect(new Set(keys).size).toBe(keys.length);
  const truth = await emulatorTruth(emulatorUrl, def.source as string, fromMs, toMs);
  const want = new Map(truth.map((r) => [documentKey(def, r), r]));
  expect([...keys].sort()).toEqual([...want.keys()].sort());
  for (const d of docs) expect(withoutMeta(d)).toEqual(want.get(documentKey(def, d)));
  return truth.length;
}

/** True when a secret appears, in clear or base64, anywhere in the bytes of a history. */
export function leaks(history: temporal.api.history.v1.IHistory, secret: string): boolean {
  const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  return bytes.includes(secret) || bytes.includes(Buffer.from(secret).toString('base64'));
}
