import type { ApiContext } from './context';
import { flowError } from './errors';
import { isObject, jsonBody, ok, type EmuRequest, type EmuResponse } from './http';
import { createEntity } from './flow-service-create';
import { checkIfMatch, notFound, touch, view } from './flow-service-entity';
import { patchEntity } from './flow-service-patch';
import { listItems } from './flow-service-query';
import { CONNECTION_SPECS, FLOW_SPECS } from './flow-service-specs';
import { runView } from './runs';
import { FS_KINDS, type FsEntity, type FsKind } from './store';

const isKind = (s: string | undefined): s is FsKind => FS_KINDS.includes(s as FsKind);

/** Routes `/data/foundation/flowservice/...`. */
export function handleFlowService(req: EmuRequest, ctx: ApiContext, rest: string[]): EmuResponse {
  const [kind, id, sub] = rest;
  if (kind === 'connectionSpecs' || kind === 'flowSpecs') return specs(req, kind, id);
  if (kind === 'runs' && req.method === 'GET') return runs(req, ctx, id);
  if (!isKind(kind) || rest.length > 3) throw notFound('path', req.path);
  const map = ctx.sandbox.fs[kind];
  if (!id) {
    if (req.method === 'GET')
      return ok(
        listItems(
          req,
          [...map.values()].map((e) => view(e, ctx)),
        ),
      );
    if (req.method !== 'POST') throw flowError(1451, 400, `Method ${req.method} is not supported on /${kind}.`);
    const entity = createEntity(
      kind,
      jsonBody(req, (d) => flowError(1405, 400, d)),
      ctx,
    );
    map.set(entity.doc.id as string, entity);
    if (entity.inletId)
      ctx.emu.store.inlets.set(entity.inletId, { sandbox: ctx.sandbox.name, flowId: entity.doc.id as string });
    const location = `/data/foundation/flowservice/${kind}/${String(entity.doc.id)}`;
    return ok({ id: entity.doc.id, etag: entity.doc.etag }, 201, { Location: location });
  }
  const entity = map.get(id);
  if (!entity) throw notFound(kind, id);
  if (sub === 'action' && req.method === 'POST') return action(req, ctx, entity);
  if (sub === 'test' && kind === 'connections' && req.method === 'GET') return ok({ result: true });
  if (sub !== undefined) throw notFound('path', req.path);
  switch (req.method) {
    case 'GET':
      return ok({ items: [view(entity, ctx)] });
    case 'PATCH':
      patchEntity(req, ctx, entity);
      return ok({ id: entity.doc.id, etag: entity.doc.etag });
    case 'DELETE':
      assertDeletable(ctx, entity);
      map.delete(id);
      if (entity.inletId) ctx.emu.store.inlets.delete(entity.inletId);
      return { status: 204 };
    default:
      throw flowError(1451, 400, `Method ${req.method} is not supported on /${kind}/{id}.`);
  }
}

function action(req: EmuRequest, ctx: ApiContext, entity: FsEntity): EmuResponse {
  const op = (req.query.get('op') ?? '').toLowerCase();
  if (op === 'finalize' || op === 'finalize_update' || op === 'publish') {
    throw flowError(1402, 400, `The action '${op}' is supported for provider requests only.`);
  }
  if (op !== 'enable' && op !== 'disable') {
    throw flowError(
      1434,
      400,
      `Unsupported operation '${op}' received. Please use one of the supported operation types and try again.`,
    );
  }
  checkIfMatch(req, entity, false);
  const target = op === 'enable' ? 'enabled' : 'disabled';
  if (entity.doc.state === target) {
    throw flowError(
      1422,
      400,
      `The action ${op} cannot be applied on the current state ${target}. Please update the action and try again.`,
    );
  }
  entity.doc.state = target;
  touch(entity, ctx, { started: ctx.now, updated: ctx.now, operation: op });
  return ok({ id: entity.doc.id, etag: entity.doc.etag });
}

/** Referential checks: 1418 for base connections in use, 1447 for source/target connections in flows. */
function assertDeletable(ctx: ApiContext, entity: FsEntity): void {
  const id = entity.doc.id as string;
  const flows = [...ctx.sandbox.fs.flows.values()].map((f) => f.doc);
  if (entity.kind === 'connections') {
    const sourceIds = [...ctx.sandbox.fs.sourceConnections.values()]
      .filter((s) => s.doc.baseConnectionId === id)
      .map((s) => s.doc.id);
    if (flows.some((f) => (f.sourceConnectionIds as string[]).some((s) => sourceIds.includes(s)))) {
      throw flowError(
        1418,
        400,
        `The base connection with the ID ${id} cannot be deleted because the base connection is being used in one or more flows. Please ensure that corresponding flows are deleted before deleting a base connection.`,
        'connections',
      );
    }
  }
  if (entity.kind === 'sourceConnections' || entity.kind === 'targetConnections') {
    const key = entity.kind === 'sourceConnections' ? 'sourceConnectionIds' : 'targetConnectionIds';
    if (flows.some((f) => (f[key] as string[]).includes(id))) {
      throw flowError(1447, 400, `Found active flows containing id ${id}.`, entity.kind);
    }
  }
}

function runs(req: EmuRequest, ctx: ApiContext, id: string | undefined): EmuResponse {
  const all = [...ctx.sandbox.runs.values()].map((w) => runView(ctx.sandbox, w, ctx.principal));
  if (!id) return ok(listItems(req, all));
  const run = all.find((r) => r.id === id);
  if (!run) throw notFound('runs', id);
  return ok({ items: [run] });
}

function specs(req: EmuRequest, kind: 'connectionSpecs' | 'flowSpecs', id: string | undefined): EmuResponse {
  if (req.method !== 'GET') throw flowError(1451, 400, `Method ${req.method} is not supported on /${kind}.`);
  const all = kind === 'connectionSpecs' ? CONNECTION_SPECS : FLOW_SPECS;
  if (!id) return ok(listItems(req, all));
  const spec = all.find((s) => s.id === id || (isObject(s) && s.name === id));
  if (!spec) throw notFound(kind, id);
  return ok({ items: [spec] });
}
