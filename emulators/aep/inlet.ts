import type { Emulator } from './context';
import { dcsError } from './errors';
import { xactionId } from './ids';
import { header, isObject, type EmuRequest, type EmuResponse, type Json } from './http';
import { PENDO_CONNECTION_SPEC_ID } from './flow-service-specs';
import { applyMappings, validatePendoRecord, type MappingError } from './mapping';
import { runWindowFor } from './runs';
import type { FsEntity, SandboxState, StoredRecord } from './store';

/** DCS rejects requests over 1 MB with 413. */
export const MAX_INLET_BYTES = 1024 * 1024;
const SYNC_VALIDATION_PER_MINUTE = 60;

interface Inlet {
  inletId: string;
  sb: SandboxState;
  flow: FsEntity;
}

const syncCalls = new WeakMap<FsEntity, number[]>();

/** `POST /collection/{inletId}` and `POST /collection/batch/{inletId}`. */
export function handleInlet(req: EmuRequest, emu: Emulator, rest: string[]): EmuResponse {
  const batch = rest[0] === 'batch';
  const inletId = batch ? rest[1] : rest[0];
  if (req.method !== 'POST' || !inletId || rest.length !== (batch ? 2 : 1)) {
    throw dcsError(404, 'data-collection-service/inlet', 'Not Found', `No inlet at ${req.path}`);
  }
  const inlet = findInlet(emu, inletId);
  if (req.bodyBytes > MAX_INLET_BYTES) {
    throw dcsError(
      413,
      'data-collection-service/inlet',
      'Payload Too Large',
      `Request of ${req.bodyBytes} bytes exceeds 1 MB.`,
    );
  }
  authorise(req, emu, inlet);
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    throw invalid(inlet, emu, 'Message is not valid JSON');
  }
  const now = Date.now();
  const headerFlowId = header(req, 'x-adobe-flow-id') ?? req.query.get('x-adobe-flow-id') ?? undefined;
  if (!batch) {
    refuseInjected(emu, req, 'reject-message', [body]);
    const sync = req.query.get('syncValidation') === 'true';
    if (sync) throttleSync(inlet.flow, now);
    const record = toRecord(inlet, emu, body, headerFlowId, now, req.bodyBytes, xactionId(now));
    if (sync && record.errors.length > 0) throw dcsValidationError(inlet, emu, record.errors);
    const stored = keep(inlet, record);
    return {
      status: 200,
      body: {
        inletId,
        xactionId: stored.xactionId,
        receivedTimeMs: now,
        syncValidation: sync ? { status: 'pass' } : { skipped: true },
      },
    };
  }
  if (!isObject(body) || !Array.isArray(body.messages)) throw invalid(inlet, emu, "The 'messages' field is mandatory");
  refuseInjected(emu, req, 'reject-batch', body.messages);
  const batchId = xactionId(now);
  const responses = body.messages.map((message, i) => {
    try {
      refuseInjected(emu, req, 'reject-message', [message]);
      const bytes = Buffer.byteLength(JSON.stringify(message));
      const record = toRecord(inlet, emu, message, headerFlowId, now, bytes, `${batchId}:${i}`);
      return { xactionId: keep(inlet, record).xactionId };
    } catch (err) {
      const problem = (err as { body?: { status?: number; report?: { message?: string } } }).body;
      return { status: problem?.status ?? 400, message: problem?.report?.message ?? String(err) };
    }
  });
  return { status: 207, body: { inletId, batchId, receivedTimeMs: now, responses } };
}

/** `reject-message` and `reject-batch` faults: refuses when one of `messages` matches a rule. */
function refuseInjected(emu: Emulator, req: EmuRequest, kind: 'reject-message' | 'reject-batch', messages: unknown[]) {
  for (const message of messages) {
    const rule = emu.faults.fire(kind, { method: req.method, path: req.path, text: JSON.stringify(message) });
    if (rule) {
      const status = rule.status ?? 400;
      const what = kind === 'reject-batch' ? 'the request holds a message' : 'the message';
      throw dcsError(
        status,
        'data-collection-service/inlet',
        'Invalid Message',
        `Injected fault: ${what} matching '${rule.match}' is refused.`,
      );
    }
  }
}

function findInlet(emu: Emulator, inletId: string): Inlet {
  const ref = emu.store.inlets.get(inletId);
  const sb = ref ? emu.store.sandboxes.get(ref.sandbox) : undefined;
  const flow = ref ? sb?.fs.flows.get(ref.flowId) : undefined;
  // An inlet is unknown until its flow's inlet URL is ready.
  if (!ref || !sb || !flow || Date.now() < (flow.inletReadyAt ?? 0)) {
    throw dcsError(404, 'data-collection-service/inlet', 'Not Found', `inletId: [${inletId}] is not a known inlet`);
  }
  return { inletId, sb, flow };
}

/** Inlets of base connections with `authenticationRequired: true` need a valid bearer token. */
function authorise(req: EmuRequest, emu: Emulator, inlet: Inlet): void {
  const sourceId = (inlet.flow.doc.sourceConnectionIds as string[])[0] ?? '';
  const baseId = inlet.sb.fs.sourceConnections.get(sourceId)?.doc.baseConnectionId;
  const base = typeof baseId === 'string' ? inlet.sb.fs.connections.get(baseId)?.doc : undefined;
  const auth = isObject(base?.auth) && isObject(base.auth.params) ? base.auth.params : {};
  if (auth.authenticationRequired !== true) return;
  const token = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1] ?? '';
  const info = emu.store.tokens.get(token);
  if (!token || !info || info.expiresAt <= Date.now()) {
    throw dcsError(
      401,
      'data-collection-service-authorization',
      'Authorization',
      `[${inlet.inletId}] Ims service token is empty or invalid`,
    );
  }
}

const invalid = (inlet: Inlet, emu: Emulator, why: string) =>
  dcsError(
    400,
    'data-collection-service/inlet',
    'Invalid Message',
    `inletId: [${inlet.inletId}] imsOrgId: [${emu.settings.orgId}] ${why}`,
  );

function dcsValidationError(inlet: Inlet, emu: Emulator, errors: MappingError[]) {
  const err = invalid(inlet, emu, 'Message is invalid');
  const body = err.body as Json;
  body.title = 'Invalid XDM Message Format';
  (body.report as Json).cause = {
    _streamingValidation: errors.map((e) => ({ code: e.code, message: e.message })),
  };
  return err;
}

function throttleSync(flow: FsEntity, now: number): void {
  const calls = (syncCalls.get(flow) ?? []).filter((t) => t > now - 60_000);
  if (calls.length >= SYNC_VALIDATION_PER_MINUTE) {
    throw dcsError(
      429,
      'data-collection-service',
      'Too Many Requests',
      'syncValidation is limited to 60 requests per minute',
    );
  }
  calls.push(now);
  syncCalls.set(flow, calls);
}

/**
 * Turns one message into a record for the inlet's flow. Raw messages go through the flow's mapping
 * set; an XDM envelope (`{header, body: {xdmEntity}}`) is stored as sent. Mapping failures do not
 * fail the request (validation is asynchronous): they surface in the flow's runs.
 */
function toRecord(
  inlet: Inlet,
  emu: Emulator,
  message: unknown,
  headerFlowId: string | undefined,
  now: number,
  bytes: number,
  xid: string,
): StoredRecord {
  const envHeader =
    isObject(message) && isObject(message.header) && isObject(message.body) ? message.header : undefined;
  const envBody = envHeader && isObject(message) && isObject(message.body) ? message.body : undefined;
  const flowId = headerFlowId ?? (typeof envHeader?.flowId === 'string' ? envHeader.flowId : undefined);
  const flow = inlet.flow.doc;
  if (!flowId) throw invalid(inlet, emu, 'The x-adobe-flow-id header (or query parameter) is required');
  if (flowId !== flow.id) throw invalid(inlet, emu, `Flow ${flowId} does not belong to this inlet`);
  if (flow.state !== 'enabled') throw invalid(inlet, emu, `Flow ${flowId} is ${String(flow.state)}`);
  if (!isObject(message)) throw invalid(inlet, emu, 'Message must be a JSON object');

  const record: StoredRecord = {
    flowId,
    inletId: inlet.inletId,
    xactionId: xid,
    receivedTimeMs: now,
    bytes,
    input: message,
    errors: [],
  };
  if (isObject(envBody?.xdmEntity)) {
    record.output = envBody.xdmEntity;
  } else {
    const mappings = mappingsOf(inlet, flow);
    const { output, errors } = applyMappings(mappings, message);
    record.errors.push(...errors);
    if (isPendoFlow(inlet, flow)) record.errors.push(...validatePendoRecord(mappings, message));
    if (Object.keys(output).length === 0 && record.errors.length === 0) {
      record.errors.push({ code: 'MAPPER-3700-400', message: 'Mapper Transform Error: no mapped field was present' });
    }
    if (record.errors.length === 0) record.output = output;
  }
  return record;
}

function keep(inlet: Inlet, record: StoredRecord): StoredRecord {
  const list = inlet.sb.records.get(record.flowId) ?? [];
  list.push(record);
  inlet.sb.records.set(record.flowId, list);
  runWindowFor(inlet.sb, record.flowId, record.receivedTimeMs);
  return record;
}

function mappingsOf(inlet: Inlet, flow: Json): Json[] {
  const t = (flow.transformations as Json[] | undefined)?.find((x) => isObject(x) && x.name === 'Mapping');
  const params = isObject(t?.params) ? t.params : {};
  const entry = inlet.sb.mappingSets.get(String(params.mappingId));
  const version = entry?.versions[Number(params.mappingVersion ?? 0)];
  return Array.isArray(version?.mappings) ? (version.mappings as Json[]) : [];
}

function isPendoFlow(inlet: Inlet, flow: Json): boolean {
  return (flow.sourceConnectionIds as string[]).some((id) => {
    const spec = inlet.sb.fs.sourceConnections.get(id)?.doc.connectionSpec;
    return isObject(spec) && spec.id === PENDO_CONNECTION_SPEC_ID;
  });
}
