import type { Agent } from 'node:http';
import { assertHostAllowed } from '../../config/host-rules';
import { REGION_HOSTS, regionOfKey } from '../../config/regions';
import { resolveSecret } from '../../config/secrets';
import type { WorkerTrust } from '../../config/trust';
import { PendoClient } from '../../pendo/client';
import type { PendoEndpoint } from '../../workflows/capture/types';

/** The API base for an endpoint: an explicit base URL, else the host, else the host of the key's region. */
export function apiBaseUrl(endpoint: PendoEndpoint, key: string): string {
  return endpoint.baseUrl ?? endpoint.host ?? REGION_HOSTS[regionOfKey(key)];
}

/**
 * A client for one activity attempt; the key is resolved here, on the worker, within the worker's rules, and
 * goes only to a host the worker allows. An explicit URL is checked before any secret is read.
 */
export function connectPendo(
  endpoint: PendoEndpoint,
  trust: WorkerTrust,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  httpAgent?: Agent,
): PendoClient {
  const explicit = endpoint.baseUrl ?? endpoint.host;
  if (explicit) assertHostAllowed(explicit, 'pendo', trust.allowedHosts);
  const key = resolveSecret(endpoint.accessToken, trust.secrets);
  const baseUrl = apiBaseUrl(endpoint, key);
  assertHostAllowed(baseUrl, 'pendo', trust.allowedHosts);
  return new PendoClient({ baseUrl, integrationKey: key, timeoutMs, signal, httpAgent });
}
