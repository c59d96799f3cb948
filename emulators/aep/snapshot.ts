import type { Json } from './http';
import {
  FS_KINDS,
  Store,
  type FsEntity,
  type FsKind,
  type MappingSetEntry,
  type RunWindow,
  type TokenInfo,
  type XdmResource,
} from './store';

type Entries<T> = [string, T][];

interface SandboxSnapshot {
  name: string;
  id: string;
  xdm: Entries<XdmResource>;
  dataSets: Entries<Json>;
  mappingSets: Entries<MappingSetEntry>;
  fs: Record<FsKind, Entries<FsEntity>>;
  runs: Entries<RunWindow>;
}

/** Every entity of the store except inlet records (kept in an append-only log) and the request log. */
export interface StoreSnapshot {
  version: 1;
  tokensIssued: number;
  tokens: Entries<TokenInfo>;
  inlets: Entries<{ sandbox: string; flowId: string }>;
  sandboxes: SandboxSnapshot[];
}

/** Maps keep their insertion order, which is the order lists are served in, so they travel as entry arrays. */
export function snapshotOf(store: Store, now: number): StoreSnapshot {
  return {
    version: 1,
    tokensIssued: store.tokensIssued,
    tokens: [...store.tokens.entries()].filter(([, t]) => t.expiresAt > now),
    inlets: [...store.inlets.entries()],
    sandboxes: [...store.sandboxes.values()].map((sb) => ({
      name: sb.name,
      id: sb.id,
      xdm: [...sb.xdm.entries()],
      dataSets: [...sb.dataSets.entries()],
      mappingSets: [...sb.mappingSets.entries()],
      fs: Object.fromEntries(FS_KINDS.map((k) => [k, [...sb.fs[k].entries()]])) as Record<FsKind, Entries<FsEntity>>,
      runs: [...sb.runs.entries()],
    })),
  };
}

/** Rebuilds a store from a snapshot; `source` names the file in the error a malformed one gives. */
export function storeFrom(snapshot: StoreSnapshot, source: string): Store {
  if (snapshot.version !== 1 || !Array.isArray(snapshot.sandboxes)) {
    throw new Error(`${source}: not an AEP emulator state file (version ${String(snapshot.version)})`);
  }
  const store = new Store();
  store.tokensIssued = snapshot.tokensIssued;
  for (const [k, v] of snapshot.tokens) store.tokens.set(k, v);
  for (const [k, v] of snapshot.inlets) store.inlets.set(k, v);
  for (const s of snapshot.sandboxes) {
    const sb = store.sandbox(s.name, s.id);
    for (const [k, v] of s.xdm) sb.xdm.set(k, v);
    for (const [k, v] of s.dataSets) sb.dataSets.set(k, v);
    for (const [k, v] of s.mappingSets) sb.mappingSets.set(k, v);
    for (const kind of FS_KINDS) for (const [k, v] of s.fs[kind]) sb.fs[kind].set(k, v);
    for (const [k, v] of s.runs) sb.runs.set(k, v);
  }
  return store;
}
