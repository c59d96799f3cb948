import { REGION_HOSTS } from './regions';

/** Who a URL is for: each service has its own public hosts (specs/pendo-api.md §1.2, specs/adobe-aep-api.md §1.1). */
export type HostService = 'pendo' | 'ims' | 'platform' | 'inlet';

export const KNOWN_HOSTS: Readonly<Record<HostService, { what: string; hosts: readonly string[] }>> = {
  pendo: { what: 'Pendo API', hosts: Object.values(REGION_HOSTS).map((u) => new URL(u).hostname) },
  ims: { what: 'Adobe IMS', hosts: ['ims-na1.adobelogin.com', 'ims-na1-stg1.adobelogin.com'] },
  platform: { what: 'AEP platform', hosts: ['platform.adobe.io', 'platform-stage.adobe.io'] },
  inlet: { what: 'AEP streaming inlet', hosts: ['dcs.adobedc.net', 'dcs-int.adobedc.net'] },
};

export const ALLOWED_HOSTS_SETTING = 'PENDOFLOW_ALLOWED_HOSTS';

/** `127.0.0.1,localhost:4010,[::1]`: hosts (any port) or host:port pairs; unset means none beyond the known hosts. */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(`http://${entry}`);
      } catch {
        url = undefined;
      }
      const normal = url && (url.port ? `${url.hostname}:${url.port}` : url.hostname);
      const spelled = entry.replace(/:80$/, '');
      if (!url || url.username || url.password || url.pathname !== '/' || url.search || normal !== spelled) {
        throw new Error(`'${entry}' is not a host or host:port (such as 127.0.0.1 or localhost:4010)`);
      }
      return entry;
    });
}

const LINK_LOCAL = /^(169\.254\.|\[fe[89ab][0-9a-f]:)/;

/**
 * Why the worker may not send to `url` for `service`, or undefined when it may: the service's public hosts over
 * https, or a host the operator listed (any scheme of http/https). Nothing in a config can widen the list.
 */
export function hostProblem(url: string, service: HostService, allowed: readonly string[]): string | undefined {
  const { what, hosts } = KNOWN_HOSTS[service];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${what} URL '${url}' is not a URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${what} URL ${url} must be https`;
  if (parsed.username || parsed.password)
    return `${what} URL of host ${parsed.host} must not carry a user name or password`;
  const host = parsed.hostname.toLowerCase();
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  if (allowed.includes(host) || allowed.includes(`${host}:${port}`)) return undefined;
  if (hosts.includes(host) && parsed.protocol === 'https:' && port === '443') return undefined;
  const kind = LINK_LOCAL.test(host) ? ' (a link-local address, such as a cloud metadata service)' : '';
  return (
    `${what} host ${parsed.host}${kind} is not allowed on this worker: ${what} hosts are ${hosts.join(', ')} over https; ` +
    `the worker's operator can allow another with ${ALLOWED_HOSTS_SETTING}`
  );
}

export class HostNotAllowedError extends Error {
  override name = 'HostNotAllowedError';
}

/** Throws HostNotAllowedError unless the worker may send to `url` for `service`. */
export function assertHostAllowed(url: string, service: HostService, allowed: readonly string[]): void {
  const problem = hostProblem(url, service, allowed);
  if (problem) throw new HostNotAllowedError(problem);
}
