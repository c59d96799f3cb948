import type { Server } from 'node:http';
import type { Emulator } from './context';
import { FaultEngine, parseFaultSpec } from './faults';
import { StateFiles } from './persistence';
import { listen } from './server';
import { Store } from './store';

export { parseFaultSpec, FaultSpecError, type FaultRule } from './faults';
export { createInspector, type AepInspector } from './inspect-client';

export interface AepEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Lifetime of issued IMS tokens; Adobe's is 24 h. */
  tokenTtlMs?: number;
  /** How long after flow creation `options.inletUrl` appears (and the inlet accepts data). */
  inletDelayMs?: number;
  /** Fault spec, see `parseFaultSpec`. */
  faults?: string;
  clientId?: string;
  clientSecret?: string;
  orgId?: string;
  /** Default sandbox; any lower-case sandbox name is accepted. */
  sandbox?: string;
  /** Schema Registry tenant id (custom fields live under `_{tenantId}`). */
  tenantId?: string;
  /** Keeps every entity and inlet record in this folder, so a restart on it finds them; in memory when absent. */
  dataDir?: string;
}

export interface RunningAepEmulator {
  url: string;
  imsUrl: string;
  platformUrl: string;
  inletBaseUrl: string;
  clientId: string;
  clientSecret: string;
  orgId: string;
  sandbox: string;
  port: number;
  /** Where state is kept; undefined in memory. */
  dataDir?: string;
  close(): Promise<void>;
}

export const EMULATOR_DEFAULTS = {
  clientId: 'pendoflow-aep-emulator',
  clientSecret: 'p8e-emulator-secret-not-for-production',
  orgId: '0E1A1E2A3B4C5D6E7F809192@AdobeOrg',
  sandbox: 'prod',
  tenantId: 'pendoflowemu',
  tokenTtlMs: 86_399_000,
};

/** Starts the AEP emulator (IMS, Schema Registry, Catalog, Data Prep, Flow Service, DCS inlets) on one port. */
export async function startAepEmulator(opts: AepEmulatorOptions = {}): Promise<RunningAepEmulator> {
  const files = opts.dataDir ? StateFiles.open(opts.dataDir) : undefined;
  const emu: Emulator = {
    settings: {
      tokenTtlMs: opts.tokenTtlMs ?? EMULATOR_DEFAULTS.tokenTtlMs,
      inletDelayMs: opts.inletDelayMs ?? 0,
      clientId: opts.clientId ?? EMULATOR_DEFAULTS.clientId,
      clientSecret: opts.clientSecret ?? EMULATOR_DEFAULTS.clientSecret,
      orgId: opts.orgId ?? EMULATOR_DEFAULTS.orgId,
      defaultSandbox: opts.sandbox ?? EMULATOR_DEFAULTS.sandbox,
      tenantId: opts.tenantId ?? EMULATOR_DEFAULTS.tenantId,
    },
    store: files?.store ?? new Store(),
    faults: new FaultEngine(parseFaultSpec(opts.faults ?? '')),
    baseUrl: '',
    persist: files ? () => files.save() : undefined,
  };
  const server: Server = await listen(emu, opts.port ?? 0, opts.host ?? '127.0.0.1');
  const url = emu.baseUrl;
  const { settings } = emu;
  return {
    url,
    imsUrl: url,
    platformUrl: url,
    inletBaseUrl: `${url}/collection`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    orgId: settings.orgId,
    sandbox: settings.defaultSandbox,
    port: Number(new URL(url).port),
    dataDir: opts.dataDir,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
