import type { ApiContext } from './context';
import { flowError } from './errors';
import { hex, newEtag, uuid } from './ids';
import { isObject, type Json } from './http';
import { schemaIdOf } from './data-prep';
import { findFlowSpec, isSourceSpec, isTargetSpec } from './flow-service-specs';
import type { FsEntity, FsKind } from './store';

const invalid = (detail: string) => flowError(1405, 400, detail);
const specInvalid = () =>
  flowError(1413, 400, 'The spec ID provided is invalid. Please provide a valid spec ID and try again.');
const missing = (kind: string, id: unknown) =>
  flowError(
    1101,
    404,
    `The requested ${kind} resource ${String(id)} is not found. Error from flow provider: Resource with given id does not exist.`,
    kind,
  );

/** Validates a create body and builds the stored entity with Flow Service's common metadata. */
export function createEntity(kind: FsKind, body: unknown, ctx: ApiContext): FsEntity {
  if (!isObject(body) || Object.keys(body).length === 0) {
    throw invalid('The request body cannot be null or empty. Please provide a request body and try again.');
  }
  if ('state' in body) throw flowError(1410, 400, '`State` is not allowed in the create flow request.');
  if (typeof body.name !== 'string' || !body.name) throw invalid("The field 'name' is required.");
  const sb = ctx.sandbox;
  const extra: Json = {};
  if (kind === 'flows') {
    validateFlow(body, ctx);
    const fault = ctx.emu.faults.fire('flow-create', { method: 'POST', path: '/flows' });
    if (fault?.code) throw injectedFlowFailure(fault.code);
    const sources = (body.sourceConnectionIds as string[]).map((id) => sb.fs.sourceConnections.get(id)?.doc);
    const targets = (body.targetConnectionIds as string[]).map((id) => sb.fs.targetConnections.get(id)?.doc);
    Object.assign(extra, {
      inheritedAttributes: {
        properties: { isSourceFlow: true },
        sourceConnections: sources.map((s) => ({ id: s?.id, connectionSpec: s?.connectionSpec })),
        targetConnections: targets.map((t) => ({ id: t?.id, connectionSpec: t?.connectionSpec })),
      },
      options: { errorDiagnosticsEnabled: true },
      providerRefId: uuid(),
      lastOperation: { started: ctx.now, updated: ctx.now, operation: 'create' },
    });
  } else {
    const spec = body.connectionSpec;
    if (!isObject(spec) || typeof spec.id !== 'string') throw invalid("The field 'connectionSpec' is required.");
    const specOk = kind === 'targetConnections' ? isTargetSpec(spec.id) : isSourceSpec(spec.id);
    if (!specOk) throw specInvalid();
    if (kind !== 'connections' && !isObject(body.data)) throw invalid("The field 'data' is required.");
    if (kind === 'sourceConnections' && body.baseConnectionId !== undefined) {
      const base = sb.fs.connections.get(String(body.baseConnectionId));
      if (!base) throw missing('connections', body.baseConnectionId);
      extra.inheritedAttributes = { baseConnection: { id: base.doc.id, connectionSpec: base.doc.connectionSpec } };
    }
    if (kind === 'targetConnections') {
      const dataSetId = isObject(body.params) ? body.params.dataSetId : undefined;
      if (typeof dataSetId !== 'string' || !sb.dataSets.has(dataSetId)) throw missing('dataSets', dataSetId);
    }
    if (kind !== 'connections') extra.params = body.params ?? {};
  }
  const etag = newEtag();
  const id = uuid();
  const doc: Json = {
    ...body,
    ...extra,
    id,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    createdBy: `${ctx.principal.clientId}@AdobeID`,
    updatedBy: `${ctx.principal.clientId}@AdobeID`,
    createdClient: ctx.principal.clientId,
    updatedClient: ctx.principal.clientId,
    sandboxId: sb.id,
    sandboxName: sb.name,
    imsOrgId: ctx.principal.orgId,
    description: body.description ?? '',
    state: 'enabled',
    version: etag,
    etag,
  };
  if (kind === 'flows') doc.runs = `/runs?property=flowId==${id}`;
  const entity: FsEntity = { kind, doc };
  if (kind === 'flows') {
    entity.inletId = hex(64);
    entity.inletReadyAt = ctx.now + ctx.emu.settings.inletDelayMs;
  }
  return entity;
}

function injectedFlowFailure(code: number) {
  if (code === 1425) return schemaMismatch('(injected)', '(injected)');
  if (code === 1412)
    return flowError(1412, 400, 'Invalid Mapping Version in request. Please provide correct mapping version.');
  if (code === 1413) return specInvalid();
  if (code === 1410) return flowError(1410, 400, '`State` is not allowed in the create flow request.');
  return flowError(
    code,
    400,
    'Error while validating mapping (injected). Please check your mapping or contact your admin.',
  );
}

const schemaMismatch = (dataSetId: string, mappingId: string) =>
  flowError(
    1425,
    400,
    `Error while matching schema in target dataset ${dataSetId} with schema in mapping ${mappingId}. Schema with same id and version must be used in both mapping and target dataset.`,
  );

/** Flow checks: spec id, connections, and the Mapping transformation against the target dataset's schema. */
export function validateFlow(body: Json, ctx: ApiContext): void {
  const sb = ctx.sandbox;
  if (!findFlowSpec(isObject(body.flowSpec) ? body.flowSpec.id : undefined)) throw specInvalid();
  for (const key of ['sourceConnectionIds', 'targetConnectionIds'] as const) {
    const ids = body[key];
    if (!Array.isArray(ids) || ids.length === 0) throw invalid(`The field '${key}' is required.`);
    const map = key === 'sourceConnectionIds' ? sb.fs.sourceConnections : sb.fs.targetConnections;
    for (const id of ids) if (!map.has(String(id))) throw missing(key.replace('Ids', 's'), id);
  }
  validateTransformations(body, ctx);
}

/** Shared by create and PATCH: mapping exists, version exists, schemas match. */
export function validateTransformations(flow: Json, ctx: ApiContext): void {
  const sb = ctx.sandbox;
  const transformations = Array.isArray(flow.transformations) ? flow.transformations : [];
  for (const t of transformations) {
    if (!isObject(t) || t.name !== 'Mapping') continue;
    const params = isObject(t.params) ? t.params : {};
    const mappingId = String(params.mappingId ?? '');
    const version = Number(params.mappingVersion ?? 0);
    const entry = sb.mappingSets.get(mappingId);
    if (!entry) {
      throw flowError(
        1419,
        400,
        `Error while validating mapping with id ${mappingId}, version ${String(params.mappingVersion)}. This could be because of inadequate permissions on mapped fields. Please check your mapping or contact your admin.`,
      );
    }
    const mapping = Number.isInteger(version) ? entry.versions[version] : undefined;
    if (!mapping)
      throw flowError(1412, 400, 'Invalid Mapping Version in request. Please provide correct mapping version.');
    const mappingSchema = schemaIdOf(mapping);
    for (const targetId of (flow.targetConnectionIds as string[] | undefined) ?? []) {
      const target = sb.fs.targetConnections.get(targetId)?.doc;
      const dataSetId = String(isObject(target?.params) ? target.params.dataSetId : '');
      const ds = sb.dataSets.get(dataSetId);
      const dsSchema = isObject(ds?.schemaRef) ? ds.schemaRef.id : undefined;
      const targetSchema = isObject(target?.data) && isObject(target.data.schema) ? target.data.schema.id : undefined;
      if (dsSchema !== mappingSchema || (targetSchema !== undefined && targetSchema !== mappingSchema)) {
        throw schemaMismatch(dataSetId, mappingId);
      }
    }
  }
}
