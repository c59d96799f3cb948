import { pathValue } from '../../src/pendo/incremental';
import { REGISTRY, type Row } from '../../src/resources';
import type { ResourceName } from '../../src/resources';
import { emulatorTruth } from './harness';

/** The emulator's truth source of each snapshot and incremental resource. */
const TRUTH_SOURCE: Partial<Record<ResourceName, string>> = {
  Feature: 'feature',
  Guide: 'guide',
  Page: 'page',
  Report: 'report',
  Segment: 'segment',
  Account: 'accounts',
  Visitor: 'visitors',
  TrackType: 'trackType',
  AccountMetadata: 'accountMetadata',
  VisitorMetadata: 'visitorMetadata',
};

/**
 * The documents a snapshot or incremental collection should hold now, as pendoflow stores them: a metadata schema
 * under its kind's id, an incremental resource's current versions (updated at or after `startMs`).
 */
export async function truthDocuments(emulatorUrl: string, resource: ResourceName, startMs = 0): Promise<Row[]> {
  const def = REGISTRY[resource];
  const source = TRUTH_SOURCE[resource];
  if (!source) throw new Error(`${resource} has hour-bucketed truth; ask emulatorTruth for a range`);
  const rows = await emulatorTruth(emulatorUrl, source);
  if (def.singleObject) return rows.map((r) => ({ id: def.singleObject, ...r }));
  if (def.kind === 'incremental') return rows.filter((r) => (pathValue(r, def.cursorField) as number) >= startMs);
  return rows;
}

/** The newest version of each object of an incremental collection, by id. */
export function newestVersions(resource: ResourceName, docs: Row[]): Map<string, Row> {
  const def = REGISTRY[resource];
  const out = new Map<string, Row>();
  for (const doc of docs) {
    const id = String(doc[def.idField]);
    const seen = out.get(id);
    if (!seen || (pathValue(doc, def.cursorField) as number) >= (pathValue(seen, def.cursorField) as number)) {
      out.set(id, doc);
    }
  }
  return out;
}
