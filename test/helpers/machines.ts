import type { Client, WorkflowHandle } from '@temporalio/client';
import { createInspector, type RunningAepEmulator } from '../../emulators/aep';
import type { RunningPendoEmulator } from '../../emulators/pendo';
import { contentHash } from '../../src/activities/capture/snapshot';
import { parsePipelineDocument } from '../../src/config/pipeline-load';
import { REGISTRY, type Row } from '../../src/resources';
import { documentKey } from '../../src/resources/keys';
import type { BindingStatus } from '../../src/workflows/capture/types';
import { bindingStatusQuery, captureStatusQuery } from '../../src/workflows/capture/messages';
import { pipelineStateQuery } from '../../src/workflows/pipeline/messages';
import { pipelineWorkflowId } from '../../src/workflows/pipeline/ids';
import { RESOURCE_NAMES, type ResourceName } from '../../src/resources';
import { bindingWorkflowId } from '../../src/workflows/capture/ids';
import { uniqueIdOf } from '../../src/store/messages';
import { capture, pipeline } from '../../src/workflows';
import { emulatorTruth, HOUR, waitFor, withoutMeta } from './harness';

export const SNAPSHOT_SOURCES = { Feature: 'feature', Guide: 'guide', Page: 'page', Report: 'report' } as const;
/** The nine resources the two machines capture: the four metadata lists and the five event resources. */
export const MACHINE_RESOURCES: readonly ResourceName[] = RESOURCE_NAMES.filter(
  (resource) => resource in SNAPSHOT_SOURCES || REGISTRY[resource].kind.endsWith('Events'),
);
const sourceOf = (resource: ResourceName) =>
  REGISTRY[resource].kind === 'snapshot'
    ? SNAPSHOT_SOURCES[resource as keyof typeof SNAPSHOT_SOURCES]
    : (REGISTRY[resource].source as string);

/** What one machine's view of a collection lacks or holds twice, against the emulator's truth. */
export interface Exactness {
  lost: number;
  duplicated: number;
  /** Documents with stale content (an older version of a key). */
  stale: number;
  /** Tombstones the truth calls for (deleted objects) that are missing. */
  missingTombstones: number;
}

export const sum = (list: Exactness[]): Exactness =>
  list.reduce(
    (a, b) => ({
      lost: a.lost + b.lost,
      duplicated: a.duplicated + b.duplicated,
      stale: a.stale + b.stale,
      missingTombstones: a.missingTombstones + b.missingTombstones,
    }),
    { lost: 0, duplicated: 0, stale: 0, missingTombstones: 0 },
  );

const hourOf = (resource: ResourceName, row: Row) => {
  const t = Number(row[REGISTRY[resource].cursorField]);
  return REGISTRY[resource].kind === 'aggregatedEvents' ? t : t - (t % HOUR);
};

/** Compares a collection's documents with the truth; events only of the hours [fromMs, toMs). */
export async function judge(
  pendoUrl: string,
  resource: ResourceName,
  docs: Row[],
  range: { fromMs: number; toMs: number },
  deleted: readonly string[] = [],
): Promise<Exactness> {
  const def = REGISTRY[resource];
  const snapshot = def.kind === 'snapshot';
  const truth = snapshot
    ? await emulatorTruth(pendoUrl, sourceOf(resource))
    : await emulatorTruth(pendoUrl, sourceOf(resource), range.fromMs, range.toMs);
  const inRange = snapshot
    ? docs
    : docs.filter((d) => hourOf(resource, d) >= range.fromMs && hourOf(resource, d) < range.toMs);
  const live = inRange.filter((d) => (d._meta as { op?: string } | undefined)?.op !== 'd');
  const tombstones = new Set(inRange.filter((d) => !live.includes(d)).map((d) => String(d.id)));
  const want = new Map(truth.map((r) => [documentKey(def, r), contentHash(r)]));
  const seen = new Map<string, number>();
  let stale = 0;
  for (const d of live) {
    const key = documentKey(def, d);
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (want.has(key) && want.get(key) !== contentHash(withoutMeta(d))) stale++;
  }
  return {
    lost: [...want.keys()].filter((k) => !seen.has(k)).length,
    duplicated: [...seen.values()].reduce((n, c) => n + c - 1, 0),
    stale,
    missingTombstones: deleted.filter((id) => !tombstones.has(id)).length,
  };
}

export async function admin(pendo: RunningPendoEmulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${pendo.url}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The pipeline of the scenario: all nine resources, settled hours only (each delivered once), into the AEP emulator. */
export function startPipeline(
  client: Client,
  opts: { name: string; taskQueue: string; pendo: RunningPendoEmulator; aep: RunningAepEmulator; startMs: number },
): Promise<WorkflowHandle<typeof pipeline>> {
  const { aep, pendo } = opts;
  const spec = parsePipelineDocument(
    {
      name: opts.name,
      monitorInterval: '1s',
      dataflow: {
        orgId: aep.orgId,
        sandbox: opts.name,
        clientId: aep.clientId,
        clientSecret: 'env:AEP_TEST_SECRET',
        imsUrl: aep.imsUrl,
        platformUrl: aep.platformUrl,
        monitorInterval: '2s',
      },
      capture: {
        endpoint: {
          credentials: { access_token: 'env:PENDO_TEST_KEY' },
          baseUrl: pendo.url,
          startDate: new Date(opts.startMs).toISOString().replace('.000', ''),
          advanced: { backfill_limit: 300, window_hours: 2 },
        },
        bindings: MACHINE_RESOURCES.map((resource) => ({ resource })),
        interval: '1s',
        lateData: { mode: 'settledOnly', settleDelay: '0s' },
      },
    },
    'machines',
  );
  return client.workflow.start(pipeline, {
    workflowId: pipelineWorkflowId(opts.name),
    taskQueue: opts.taskQueue,
    args: [{ spec }],
  });
}

export async function pipelineCapture(client: Client, handle: WorkflowHandle<typeof pipeline>) {
  const state = await waitFor('the pipeline to stream', async () => {
    const s = await handle.query(pipelineStateQuery);
    return s.phase === 'streaming' && s.dataflow?.flowId && s.capture ? s : undefined;
  });
  return {
    flowId: state.dataflow?.flowId as string,
    capture: client.workflow.getHandle<typeof capture>(state.capture?.workflowId as string),
  };
}

/** Each binding's own status (the capture's copy is refreshed on state changes only). */
export async function liveBindings(client: Client, handle: WorkflowHandle<typeof capture>): Promise<BindingStatus[]> {
  const s = await handle.query(captureStatusQuery);
  return Promise.all(
    s.bindings.map((b) =>
      client.workflow.getHandle(bindingWorkflowId(s.capture, b.resource)).query(bindingStatusQuery),
    ),
  );
}

/** Waits until every binding's cursor reached `horizon` (events) or it polled (snapshots). */
export async function caughtUp(client: Client, handle: WorkflowHandle<typeof capture>, horizon: number) {
  await waitFor(
    'every binding to catch up',
    async () => {
      const bindings = await liveBindings(client, handle);
      return (
        bindings.length === MACHINE_RESOURCES.length &&
        bindings.every((b) =>
          REGISTRY[b.resource].kind === 'snapshot'
            ? b.lastPollAt !== null
            : b.cursor !== null && Date.parse(b.cursor) >= horizon,
        )
      );
    },
    240_000,
  );
}

/**
 * Waits until every snapshot binding, and every event binding of `rescanned`, polled twice after `sinceMs`, and
 * every event binding of `rescanned` rescanned twice, so changes made before it were read.
 */
export async function readAfter(
  client: Client,
  handles: WorkflowHandle<typeof capture>[],
  sinceMs: number,
  rescanned: WorkflowHandle<typeof capture>,
): Promise<void> {
  const first = new Map<string, number>();
  const rescansAt = new Map((await liveBindings(client, rescanned)).map((b) => [b.resource, b.rescans]));
  await waitFor(
    'every binding to read again after the changes',
    async () => {
      for (const handle of handles) {
        for (const b of await liveBindings(client, handle)) {
          const events = REGISTRY[b.resource].kind !== 'snapshot';
          // Without rescans, a caught-up event binding has nothing to read again before its next hour; it sleeps.
          if (events && handle !== rescanned) continue;
          const at = b.lastPollAt ? Date.parse(b.lastPollAt) : 0;
          const key = `${handle.workflowId}/${b.resource}`;
          if (at > sinceMs && !first.has(key)) first.set(key, at);
          const once = first.get(key);
          if (once === undefined || at <= once) return false;
          if (handle === rescanned && events && b.rescans < (rescansAt.get(b.resource) ?? 0) + 2) return false;
        }
      }
      return true;
    },
    120_000,
  );
}

/** Every uniqueId the truth calls for: event rows of [fromMs, toMs), and each object version ever listed. */
export async function expectedUniqueIds(
  pendoUrl: string,
  range: { fromMs: number; toMs: number },
  objectVersions: Map<ResourceName, Row[]>,
  deleted: Map<ResourceName, string[]>,
): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const resource of MACHINE_RESOURCES) {
    if (REGISTRY[resource].kind !== 'snapshot') {
      for (const row of await emulatorTruth(pendoUrl, sourceOf(resource), range.fromMs, range.toMs))
        ids.add(uniqueIdOf(resource, row));
      continue;
    }
    for (const obj of objectVersions.get(resource) ?? [])
      ids.add(uniqueIdOf(resource, { ...obj, _meta: { op: 'c', hash: contentHash(obj) } }));
    for (const id of deleted.get(resource) ?? []) ids.add(uniqueIdOf(resource, { id, _meta: { op: 'd' } }));
  }
  return ids;
}

export async function snapshotTruth(pendoUrl: string): Promise<Map<ResourceName, Row[]>> {
  const out = new Map<ResourceName, Row[]>();
  for (const resource of Object.keys(SNAPSHOT_SOURCES) as ResourceName[])
    out.set(resource, await emulatorTruth(pendoUrl, sourceOf(resource)));
  return out;
}

/** uniqueIds the AEP emulator received for a flow: how many records, how many distinct. */
export async function received(aepUrl: string, flowId: string): Promise<{ records: number; ids: Set<string> }> {
  const records = await createInspector(aepUrl).records(flowId);
  return { records: records.length, ids: new Set(records.map((r) => (r.input as { uniqueId: string }).uniqueId)) };
}
