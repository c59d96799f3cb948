import type { Agent } from 'node:http';
import { REGION_HOSTS, regionOfKey } from '../config/regions';
import { resolveSecret } from '../config/secrets';
import { PendoClient } from '../pendo/client';
import type { PendoEndpoint } from '../shared/capture-types';

/** The API base for an endpoint: an explicit base URL, else the host, else the host of the key's region. */
export function apiBaseUrl(endpoint: PendoEndpoint, key: string): string {
  return endpoint.baseUrl ?? endpoint.host ?? REGION_HOSTS[regionOfKey(key)];
}

/** A client for one activity attempt; the key is resolved here, on the worker, and never leaves it. */
export function connectPendo(
  endpoint: PendoEndpoint,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  httpAgent?: Agent,
): PendoClient {
  const key = resolveSecret(endpoint.accessToken);
  return new PendoClient({ baseUrl: apiBaseUrl(endpoint, key), integrationKey: key, timeoutMs, signal, httpAgent });
}
