import { uuid } from './ids';
import type { Json } from './http';

export type XdmKind = 'classes' | 'fieldgroups' | 'schemas';
export type FsKind = 'connections' | 'sourceConnections' | 'targetConnections' | 'flows';
export const FS_KINDS: readonly FsKind[] = ['connections', 'sourceConnections', 'targetConnections', 'flows'];

export interface XdmResource {
  kind: XdmKind;
  doc: Json;
}

export interface MappingSetEntry {
  id: string;
  /** Every version, index = version number. */
  versions: Json[];
}

export interface FsEntity {
  kind: FsKind;
  doc: Json;
  /** Flows only: the inlet and when its URL becomes visible. */
  inletId?: string;
  inletReadyAt?: number;
}

/** One message the inlet accepted, with what the flow's mapping produced from it. */
export interface StoredRecord {
  flowId: string;
  inletId: string;
  xactionId: string;
  receivedTimeMs: number;
  bytes: number;
  input: unknown;
  output?: Json;
  errors: { code: string; message: string }[];
}

/** An hourly run window of a streaming flow; counts are derived from the records inside it. */
export interface RunWindow {
  id: string;
  flowId: string;
  startMs: number;
  etag: string;
}

export interface TokenInfo {
  clientId: string;
  orgId: string;
  expiresAt: number;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
}

/** Everything that lives inside one sandbox. */
export class SandboxState {
  readonly xdm = new Map<string, XdmResource>();
  readonly dataSets = new Map<string, Json>();
  readonly mappingSets = new Map<string, MappingSetEntry>();
  readonly fs: Record<FsKind, Map<string, FsEntity>> = {
    connections: new Map(),
    sourceConnections: new Map(),
    targetConnections: new Map(),
    flows: new Map(),
  };
  readonly records = new Map<string, StoredRecord[]>();
  readonly runs = new Map<string, RunWindow>();

  constructor(
    readonly name: string,
    readonly id: string = uuid(),
  ) {}
}

const MAX_LOG = 5000;

/** All emulator state. Sandboxes are created on first use, as any lower-case name is accepted. */
export class Store {
  readonly sandboxes = new Map<string, SandboxState>();
  readonly tokens = new Map<string, TokenInfo>();
  /** inletId → where its flow lives. */
  readonly inlets = new Map<string, { sandbox: string; flowId: string }>();
  readonly log: RequestLogEntry[] = [];
  tokensIssued = 0;

  sandbox(name: string, id?: string): SandboxState {
    let sb = this.sandboxes.get(name);
    if (!sb) {
      sb = new SandboxState(name, id);
      this.sandboxes.set(name, sb);
    }
    return sb;
  }

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  expireAllTokens(): void {
    for (const info of this.tokens.values()) info.expiresAt = 0;
  }

  /** Drops every resource, record and log entry; issued tokens stay valid. */
  reset(): void {
    this.sandboxes.clear();
    this.inlets.clear();
    this.log.length = 0;
  }
}
