import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import { loadClientConfigProfile, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';

/**
 * The variables Temporal's environment configuration (`@temporalio/envconfig`) reads; the worker and the CLI
 * honour all of them, and `TEMPORAL_GRPC_META_<NAME>` headers too.
 */
export const TEMPORAL_ENV = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_CERT_DATA',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
] as const;
export const TEMPORAL_GRPC_META_PREFIX = 'TEMPORAL_GRPC_META_';

export const DEFAULT_ADDRESS = 'localhost:7233';
export const DEFAULT_NAMESPACE = 'default';

/** Where a Temporal cluster is and how to authenticate to it: a profile of the TOML file with env overrides. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  /** Which profile of which file, when one was read (for messages). */
  profile?: { name: string; file: string };
  tls?: ClientConfigProfile['tls'];
  /** Not enumerable, so a logged or serialised config never carries it (and a spread copy drops it). */
  readonly apiKey?: string;
  grpcMeta?: Record<string, string>;
}

/**
 * Reads the connection the way every Temporal SDK and the `temporal` CLI do: the profile `TEMPORAL_PROFILE`
 * (else `default`) of `TEMPORAL_CONFIG_FILE` (else the user's `temporalio/temporal.toml`), overridden by the
 * `TEMPORAL_*` variables. Files named in it are read when connecting, not here.
 */
export function loadTemporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  // An empty variable (compose's `${X:-}`) means unset here; envconfig would take an empty API key as "use TLS".
  const vars = Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => e[1] !== undefined && (e[1] !== '' || e[0].startsWith(TEMPORAL_GRPC_META_PREFIX)),
    ),
  );
  const file = vars.TEMPORAL_CONFIG_FILE ?? 'the default temporal.toml';
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: vars });
  } catch (err) {
    const message = (err as Error).message;
    const noProfile = `TEMPORAL_PROFILE: no profile '${vars.TEMPORAL_PROFILE}' in ${file}`;
    if (/^Profile '.*' not found/.test(message)) throw new Error(noProfile);
    // envconfig 1.24 throws a TypeError on a file without any [profile.*] table (an empty file, /dev/null).
    if (err instanceof TypeError && !(err as NodeJS.ErrnoException).code) {
      if (vars.TEMPORAL_PROFILE) throw new Error(noProfile);
      profile = loadClientConfigProfile({ overrideEnvVars: vars, disableFile: true });
    } else {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`TEMPORAL_CONFIG_FILE: ${file} cannot be read: ${code ?? message}`);
    }
  }
  const settings: TemporalSettings = {
    address: profile.address ?? DEFAULT_ADDRESS,
    namespace: profile.namespace ?? DEFAULT_NAMESPACE,
    ...(vars.TEMPORAL_PROFILE ? { profile: { name: vars.TEMPORAL_PROFILE, file } } : {}),
    ...(profile.tls ? { tls: profile.tls } : {}),
    ...(profile.grpcMeta ? { grpcMeta: profile.grpcMeta } : {}),
  };
  if (profile.apiKey) Object.defineProperty(settings, 'apiKey', { value: profile.apiKey, enumerable: false });
  return settings;
}

/** `address (namespace N, mTLS)`: what to show of a connection; never a key. */
export function describeTemporal(settings: TemporalSettings): string {
  const auth = [
    tlsEnabled(settings) ? (settings.tls?.clientCert ? 'mTLS' : 'TLS') : 'no TLS',
    ...(settings.apiKey ? ['API key'] : []),
    ...(settings.profile ? [`profile ${settings.profile.name}`] : []),
  ];
  return `${settings.address} (namespace ${settings.namespace}, ${auth.join(', ')})`;
}

function tlsEnabled(settings: TemporalSettings): boolean {
  return settings.tls ? settings.tls.disabled !== true : settings.apiKey !== undefined;
}

export interface TemporalConnectionOptions {
  address: string;
  tls: ConnectionOptions['tls'];
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** Options for `Connection.connect` and `NativeConnection.connect`; a file that cannot be read names its setting. */
export function temporalConnectionOptions(settings: TemporalSettings): TemporalConnectionOptions {
  const tls = settings.tls;
  let tlsOption: ConnectionOptions['tls'];
  if (tls && tls.disabled !== true) {
    const cert = readSource(settings, tls.clientCert, 'client_cert');
    const key = readSource(settings, tls.clientKey, 'client_key');
    if ((cert === undefined) !== (key === undefined))
      throw new Error(
        `${cert ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH'} is not set: ` +
          'a client certificate needs its key, and a key its certificate',
      );
    tlsOption = {
      serverNameOverride: tls.serverName,
      serverRootCACertificate: readSource(settings, tls.serverCACert, 'server_ca_cert'),
      clientCertPair: cert && key ? { crt: cert, key } : undefined,
    };
  } else if (tls?.disabled === true) {
    tlsOption = false; // the SDK turns TLS on for an API key unless told `false`
  } else if (settings.apiKey) tlsOption = true;
  return {
    address: settings.address,
    tls: tlsOption,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.grpcMeta ? { metadata: settings.grpcMeta } : {}),
  };
}

/** Reads a TLS file; the error names the variable and the profile key it may have come from, never contents. */
function readSource(settings: TemporalSettings, source: ConfigDataSource | undefined, key: string): Buffer | undefined {
  if (source === undefined) return undefined;
  if (!('path' in source)) return Buffer.from(source.data);
  try {
    return readFileSync(source.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    const setting = `TEMPORAL_TLS_${key.toUpperCase()}_PATH (tls.${key}_path${settings.profile ? ` of profile ${settings.profile.name}` : ''})`;
    throw new Error(`${setting}: ${source.path} cannot be read: ${code}`);
  }
}

/** The settings that usually fix a failed connection, by how the worker connected. */
function connectionHints(settings: TemporalSettings): string {
  if (!tlsEnabled(settings)) {
    return 'Start it (temporal server start-dev) or set TEMPORAL_ADDRESS; for a cluster with TLS set TEMPORAL_TLS=true or its TEMPORAL_TLS_* settings';
  }
  if (settings.tls?.clientCert || settings.apiKey) {
    return 'Check TEMPORAL_TLS_SERVER_CA_CERT_PATH and TEMPORAL_TLS_SERVER_NAME, and that the client certificate or TEMPORAL_API_KEY is accepted';
  }
  return 'If the cluster requires a client certificate, set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or TEMPORAL_API_KEY)';
}

/** Why a connection failed, naming the address and the settings that usually fix it; never a key. */
export function connectionError(settings: TemporalSettings, err: unknown): Error {
  const cause = err instanceof Error ? err.message : String(err);
  const hints = connectionHints(settings);
  const redacted = settings.apiKey ? cause.split(settings.apiKey).join('***') : cause;
  return new Error(`cannot connect to Temporal at ${describeTemporal(settings)}: ${redacted}. ${hints}.`);
}
