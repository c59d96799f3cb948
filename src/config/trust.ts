import type { CaptureSpec, PendoEndpoint } from '../workflows/capture/types';
import type { AepTarget } from '../workflows/dataflow/types';
import { hostProblem, type HostService } from './host-rules';
import type { ConfigProblem } from './load';
import { secretRules, secretRefProblem, type SecretRules } from './secret-rules';

/**
 * What a worker lets a config make it do: which references it resolves and which hosts it sends to. Read from
 * the worker's own environment only; the CLI applies the same rules, read from its environment, in `validate`.
 */
export interface WorkerTrust {
  secrets: SecretRules;
  allowedHosts: readonly string[];
}

/** The trust settings of the runtime config (already checked by loadRuntimeConfig). */
export interface TrustSettings {
  secretEnvAllow: readonly string[];
  secretFileDirs: readonly string[];
  allowedHosts: readonly string[];
}

export function workerTrust(settings: TrustSettings): WorkerTrust {
  return {
    secrets: { envAllow: settings.secretEnvAllow, fileDirs: settings.secretFileDirs },
    allowedHosts: settings.allowedHosts,
  };
}

/** The default rules of a worker with no trust settings: PENDO_* and AEP_* variables, no files, no extra hosts. */
export const DEFAULT_TRUST: WorkerTrust = { secrets: secretRules({}), allowedHosts: [] };

/** A Pendo endpoint's explicit URL; without one the worker uses a region host, which is always allowed. */
export const pendoUrlOf = (endpoint: PendoEndpoint): string | undefined => endpoint.baseUrl ?? endpoint.host;

const problem = (path: string, message: string | undefined): ConfigProblem[] => (message ? [{ path, message }] : []);

export function pendoEndpointProblems(endpoint: PendoEndpoint, trust: WorkerTrust, at = ''): ConfigProblem[] {
  const url = pendoUrlOf(endpoint);
  return [
    ...problem(`${at}credentials.access_token`, secretRefProblem(endpoint.accessToken, trust.secrets)),
    ...problem(
      `${at}${endpoint.baseUrl ? 'baseUrl' : 'host'}`,
      url ? hostProblem(url, 'pendo', trust.allowedHosts) : undefined,
    ),
  ];
}

export function aepTargetProblems(aep: AepTarget, trust: WorkerTrust, at = ''): ConfigProblem[] {
  const urls: [string, string, HostService][] = [
    ['imsUrl', aep.imsUrl, 'ims'],
    ['platformUrl', aep.platformUrl, 'platform'],
  ];
  return [
    ...problem(`${at}clientSecret`, secretRefProblem(aep.clientSecret, trust.secrets)),
    ...urls.flatMap(([path, url, service]) => problem(`${at}${path}`, hostProblem(url, service, trust.allowedHosts))),
  ];
}

export const captureProblems = (spec: CaptureSpec, trust: WorkerTrust, at = `${spec.name}: `): ConfigProblem[] =>
  pendoEndpointProblems(spec.endpoint, trust, at);
