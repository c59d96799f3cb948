import type { FaultEngine } from './faults';
import type { SandboxState, Store } from './store';

export interface EmulatorSettings {
  tokenTtlMs: number;
  inletDelayMs: number;
  clientId: string;
  clientSecret: string;
  orgId: string;
  /** Used when a request omits `x-sandbox-name` on APIs that tolerate it. */
  defaultSandbox: string;
  tenantId: string;
}

/** The running emulator as handlers see it. */
export interface Emulator {
  settings: EmulatorSettings;
  store: Store;
  faults: FaultEngine;
  /** `http://127.0.0.1:{port}`; known once the server listens. */
  baseUrl: string;
  /** Saves what a request changed; absent when the emulator runs in memory. */
  persist?: () => void;
}

/** Who is calling, established by the gateway. */
export interface Principal {
  clientId: string;
  orgId: string;
}

/** Per-request context for the platform APIs. */
export interface ApiContext {
  emu: Emulator;
  principal: Principal;
  sandbox: SandboxState;
  now: number;
}
