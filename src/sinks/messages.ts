import { createHash } from 'node:crypto';
import { REGISTRY, type ResourceName, type Row } from '../resources';
import { documentKey } from '../resources/keys';

/** A Pendo-webhook-shaped message, as the AEP Pendo source's mapping expects it. */
export interface PendoMessage {
  uniqueId: string;
  accountId: string;
  visitorId: string;
  timestamp: number;
  eventType: string;
  properties: Row;
}

/** A metadata object's version: its content hash, or `deleted` for its tombstone. */
function objectVersion(doc: Row): string {
  const meta = doc._meta as { op?: string; hash?: string } | undefined;
  if (meta?.op === 'd') return 'deleted';
  return meta?.hash ?? '';
}

/**
 * Stable across retries, restarts and machines: the resource and the document's key, plus, for metadata,
 * the version of the object, since each change of an object is its own event in an append-only lake.
 */
export function uniqueIdOf(resource: ResourceName, doc: Row): string {
  const def = REGISTRY[resource];
  const version = def.kind === 'snapshot' ? `:${objectVersion(doc)}` : '';
  return createHash('sha256')
    .update(`${resource}:${documentKey(def, doc)}${version}`)
    .digest('hex')
    .slice(0, 32);
}

/** One captured document as one message; the document's fields go under `properties`. */
export function toMessage(resource: ResourceName, doc: Row): PendoMessage {
  const def = REGISTRY[resource];
  const meta = doc._meta as { op?: string } | undefined;
  const { _meta: _ignored, ...properties } = doc;
  const time = Number(doc[def.cursorField]);
  return {
    uniqueId: uniqueIdOf(resource, doc),
    accountId: typeof doc.accountId === 'string' ? doc.accountId : '',
    visitorId: typeof doc.visitorId === 'string' ? doc.visitorId : '',
    timestamp: Number.isFinite(time) ? time : 0,
    eventType: meta?.op === 'd' ? `${def.eventType}Deleted` : def.eventType,
    properties,
  };
}
