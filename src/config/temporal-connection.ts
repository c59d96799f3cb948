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
  /** Kept out of enumeration so that a logged or serialised config never carries it. */
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
    if (/^Profile '.*' not found/.test(message))
      throw new Error(`TEMPORAL_PROFILE: no profile '${vars.TEMPORAL_PROFILE}' in ${file}`);
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`TEMPORAL_CONFIG_FILE: ${file} cannot be read: ${code ?? message}`);
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
export function describeTemporal(s: TemporalSettings): string {
  const auth = [
    tlsEnabled(s) ? (s.tls?.clientCert ? 'mTLS' : 'TLS') : 'no TLS',
    ...(s.apiKey ? ['API key'] : []),
    ...(s.profile ? [`profile ${s.profile.name}`] : []),
  ];
  return `${s.address} (namespace ${s.namespace}, ${auth.join(', ')})`;
}

function tlsEnabled(s: TemporalSettings): boolean {
  return s.tls ? s.tls.disabled !== true : s.apiKey !== undefined;
}

export interface TemporalConnectionOptions {
  address: string;
  tls: ConnectionOptions['tls'];
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** Options for `Connection.connect` and `NativeConnection.connect`; a file that cannot be read names its setting. */
export function temporalConnectionOptions(s: TemporalSettings): TemporalConnectionOptions {
  const tls = s.tls;
  let tlsOption: ConnectionOptions['tls'];
  if (tls && tls.disabled !== true) {
    const cert = readSource(tls.clientCert, 'TEMPORAL_TLS_CLIENT_CERT');
    const key = readSource(tls.clientKey, 'TEMPORAL_TLS_CLIENT_KEY');
    if ((cert === undefined) !== (key === undefined))
      throw new Error(
        `${cert ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH'} is not set: ` +
          'a client certificate needs its key, and a key its certificate',
      );
    tlsOption = {
      serverNameOverride: tls.serverName,
      serverRootCACertificate: readSource(tls.serverCACert, 'TEMPORAL_TLS_SERVER_CA_CERT'),
      clientCertPair: cert && key ? { crt: cert, key } : undefined,
    };
  } else if (tls?.disabled !== true && s.apiKey) tlsOption = true;
  return {
    address: s.address,
    tls: tlsOption,
    ...(s.apiKey ? { apiKey: s.apiKey } : {}),
    ...(s.grpcMeta ? { metadata: s.grpcMeta } : {}),
  };
}

function readSource(source: ConfigDataSource | undefined, setting: string): Buffer | undefined {
  if (source === undefined) return undefined;
  if (!('path' in source)) return Buffer.from(source.data);
  try {
    return readFileSync(source.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`${setting}_PATH: ${source.path} cannot be read: ${code}`);
  }
}

/** Why a connection failed, naming the address and the settings that usually fix it; never a key. */
export function connectionError(s: TemporalSettings, err: unknown): Error {
  const cause = err instanceof Error ? err.message : String(err);
  const hints = tlsEnabled(s)
    ? s.tls?.clientCert || s.apiKey
      ? 'Check TEMPORAL_TLS_SERVER_CA_CERT_PATH and TEMPORAL_TLS_SERVER_NAME, and that the client certificate or TEMPORAL_API_KEY is accepted'
      : 'If the cluster requires a client certificate, set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or TEMPORAL_API_KEY)'
    : 'Start it (temporal server start-dev) or set TEMPORAL_ADDRESS; for a cluster with TLS set TEMPORAL_TLS=true or its TEMPORAL_TLS_* settings';
  const redacted = s.apiKey ? cause.split(s.apiKey).join('***') : cause;
  return new Error(`cannot connect to Temporal at ${describeTemporal(s)}: ${redacted}. ${hints}.`);
}
