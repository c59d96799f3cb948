import type { InspectedResource, ResourceType } from './inspect';
import type { FaultRule } from './faults';
import type { RequestLogEntry, StoredRecord } from './store';

/** A typed client for the emulator's `/_emulator` inspection API, for tests and demos. */
export interface AepInspector {
  resources(type?: ResourceType, filter?: { name?: string; sandbox?: string }): Promise<InspectedResource[]>;
  counts(sandbox?: string): Promise<Record<ResourceType, number>>;
  records(flowId?: string): Promise<StoredRecord[]>;
  requests(filter?: { path?: string; method?: string }): Promise<RequestLogEntry[]>;
  stats(): Promise<{ tokensIssued: number; requests: number; sandboxes: string[] }>;
  /** Adds fault rules (`replace` drops the current ones first). */
  setFaults(spec: string, replace?: boolean): Promise<(FaultRule & { fired: number; remaining: number | null })[]>;
  clearFaults(): Promise<void>;
  expireTokens(): Promise<void>;
  reset(): Promise<void>;
}

/** Creates an inspector for the emulator at `baseUrl`. */
export function createInspector(baseUrl: string): AepInspector {
  const call = async <T>(
    method: string,
    path: string,
    query: Record<string, string | undefined> = {},
    body?: string,
  ) => {
    const url = new URL(`/_emulator/${path}`, baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const res = await fetch(url, { method, body, headers: body ? { 'Content-Type': 'text/plain' } : {} });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`emulator inspection ${method} ${path} failed: ${json.error ?? res.status}`);
    return json;
  };
  return {
    resources: async (type, filter = {}) =>
      (await call<{ items: InspectedResource[] }>('GET', 'resources', { type, ...filter })).items,
    counts: (sandbox) => call('GET', 'counts', { sandbox }),
    records: async (flowId) => (await call<{ items: StoredRecord[] }>('GET', 'records', { flowId })).items,
    requests: async (filter = {}) => (await call<{ items: RequestLogEntry[] }>('GET', 'requests', filter)).items,
    stats: () => call('GET', 'stats'),
    setFaults: async (spec, replace = false) =>
      (await call<{ faults: never[] }>(replace ? 'PUT' : 'POST', 'faults', {}, spec)).faults,
    clearFaults: async () => {
      await call('DELETE', 'faults');
    },
    expireTokens: async () => {
      await call('POST', 'tokens/expire');
    },
    reset: async () => {
      await call('POST', 'reset');
    },
  };
}
