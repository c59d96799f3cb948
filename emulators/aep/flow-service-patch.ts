import type { ApiContext } from './context';
import { flowError } from './errors';
import { isObject, jsonBody, type EmuRequest } from './http';
import { applyPatchOp, type PatchOp } from './json-patch';
import { validateTransformations } from './flow-service-create';
import { checkIfMatch, touch } from './flow-service-entity';
import type { FsEntity, FsKind } from './store';

/** JSON-Patch paths Flow Service documents per resource; anything else is 1455. */
const ALLOWED: Record<FsKind, RegExp[]> = {
  flows: [/^\/name$/, /^\/description$/, /^\/transformations\/\d+$/, /^\/labels(\/-|\/\d+)?$/],
  connections: [/^\/name$/, /^\/description$/, /^\/auth\/params$/, /^\/labels(\/-|\/\d+)?$/],
  sourceConnections: [/^\/name$/, /^\/description$/, /^\/params(\/[\w-]+)?$/, /^\/labels(\/-|\/\d+)?$/],
  targetConnections: [/^\/name$/, /^\/description$/, /^\/params(\/[\w-]+)?$/, /^\/labels(\/-|\/\d+)?$/],
};
const UPDATABLE_STATES = ['enabled', 'disabled', 'initializing'];

/**
 * PATCH with If-Match (400 1403 when missing, 412 1404 when stale). An `etag-race` fault bumps the
 * etag first, as if another client had just patched the entity.
 */
export function patchEntity(req: EmuRequest, ctx: ApiContext, entity: FsEntity): void {
  if (ctx.emu.faults.fire('etag-race', { method: req.method, path: req.path })) touch(entity, ctx);
  checkIfMatch(req, entity, true);
  if (!UPDATABLE_STATES.includes(String(entity.doc.state))) {
    throw flowError(
      1416,
      400,
      'Delete or Update can only be applied on connection with enabled, disabled or initializing state.',
    );
  }
  const ops = jsonBody(req, (d) => flowError(1405, 400, d));
  if (!Array.isArray(ops) || ops.length === 0) {
    throw flowError(
      1405,
      400,
      'The request body cannot be null or empty. Please provide a request body and try again.',
    );
  }
  const next = structuredClone(entity.doc);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw flowError(1455, 400, `An error has occurred while validating patch instructions: ${JSON.stringify(raw)}`);
    }
    const op = raw as unknown as PatchOp;
    const kind = op.op.toLowerCase();
    if (!['add', 'replace', 'remove'].includes(kind)) {
      throw flowError(
        1434,
        400,
        `Unsupported operation '${op.op}' received. Please use one of the supported operation types and try again.`,
      );
    }
    if (op.path.startsWith('/connectionSpec'))
      throw flowError(1414, 400, 'The connection spec of a connection cannot be updated.');
    const field = op.path.split('/').pop() ?? op.path;
    if (!ALLOWED[entity.kind].some((re) => re.test(op.path))) {
      throw flowError(
        1455,
        400,
        `An error has occurred while validating patch instructions: Missing field "${field}".`,
      );
    }
    const err = applyPatchOp(next, op);
    if (err) throw flowError(1455, 400, `An error has occurred while validating patch instructions: ${err}.`);
  }
  if (entity.kind === 'flows') validateTransformations(next, ctx);
  entity.doc = next;
  touch(entity, ctx, {
    started: ctx.now,
    updated: ctx.now,
    percentCompleted: 100.0,
    status: { value: 'completed', errors: [] },
    ops,
    operation: 'update',
  });
}
