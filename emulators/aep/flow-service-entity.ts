import type { ApiContext } from './context';
import { flowError } from './errors';
import { newEtag, normaliseEtag } from './ids';
import { header, type EmuRequest, type Json } from './http';
import { lastRunDetails } from './runs';
import type { FsEntity } from './store';

export const notFound = (kind: string, id: string) =>
  flowError(
    1439,
    404,
    `The requested ${kind} resource ${id} is not found. Verify the resource ID before trying again.`,
    kind,
  );

/** The public JSON of an entity; a flow's `inletUrl` appears only once its inlet is ready. */
export function view(entity: FsEntity, ctx: ApiContext): Json {
  if (entity.kind !== 'flows') return entity.doc;
  const doc: Json = { ...entity.doc, options: { ...(entity.doc.options as Json) } };
  if (entity.inletId && ctx.now >= (entity.inletReadyAt ?? 0)) {
    (doc.options as Json).inletUrl = `${ctx.emu.baseUrl}/collection/${entity.inletId}`;
  }
  const last = lastRunDetails(ctx.sandbox, entity.doc.id as string, ctx.principal);
  if (last) doc.lastRunDetails = last;
  return doc;
}

/** Marks a mutation: new etag (Flow Service keeps `version` equal to it) and timestamps. */
export function touch(entity: FsEntity, ctx: ApiContext, lastOperation?: Json): void {
  const etag = newEtag();
  Object.assign(entity.doc, {
    etag,
    version: etag,
    updatedAt: ctx.now,
    updatedBy: `${ctx.principal.clientId}@AdobeID`,
    updatedClient: ctx.principal.clientId,
  });
  if (lastOperation && entity.kind === 'flows') entity.doc.lastOperation = lastOperation;
}

/** If-Match, when given (optional on actions), must carry the current etag. */
export function checkIfMatch(req: EmuRequest, entity: FsEntity, required: boolean): void {
  const supplied = header(req, 'if-match');
  if (!supplied) {
    if (!required) return;
    throw flowError(
      1403,
      400,
      "The header 'If-Match' is missing in the request. Please provide the header and try again.",
    );
  }
  const current = String(entity.doc.etag);
  if (normaliseEtag(supplied) !== normaliseEtag(current)) {
    throw flowError(
      1404,
      412,
      `The supplied version '${supplied}' does not match the current version on entity '${current}'. Please ensure that the supplied version matches the current version on entity and try again.`,
      entity.kind,
    );
  }
}
