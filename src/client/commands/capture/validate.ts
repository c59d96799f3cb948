import { ConfigError, type ConfigProblem, type LoadedCapture, loadCaptures } from '../../../config/load';
import { regionOfHost, regionOfKey } from '../../../config/regions';
import { hostProblem } from '../../../config/host-rules';
import { displaySecret, resolveSecret, SecretResolutionError } from '../../../config/secrets';
import { captureProblems, type WorkerTrust } from '../../../config/trust';
import { apiBaseUrl } from '../../../activities/capture/pendo-connection';
import { PendoClient } from '../../../pendo/client';
import { PendoError } from '../../../pendo/errors';
import { PendoErrorType } from '../../../workflows/common/errors';
import type { CaptureSpec } from '../../../workflows/capture/types';
import { assertTrusted, shellTrust } from '../common/trust-check';

export interface KeyCheck {
  capture: string;
  ok: boolean;
  region?: string;
  baseUrl?: string;
  message: string;
}

/**
 * Checks a capture's key against `/api/v1/token/verify` and says what to do when it fails. The key is resolved
 * and sent only as `trust` allows, as on a worker.
 */
export async function checkKey(spec: CaptureSpec, trust: WorkerTrust): Promise<KeyCheck> {
  const refused = captureProblems(spec, trust, '');
  if (refused.length) {
    return { capture: spec.name, ok: false, message: refused.map((p) => `${p.path}: ${p.message}`).join('; ') };
  }
  let key: string;
  try {
    key = resolveSecret(spec.endpoint.accessToken, trust.secrets);
  } catch (err) {
    if (err instanceof SecretResolutionError) return { capture: spec.name, ok: false, message: err.message };
    throw err;
  }
  const baseUrl = apiBaseUrl(spec.endpoint, key);
  const hostRefused = hostProblem(baseUrl, 'pendo', trust.allowedHosts);
  if (hostRefused) return { capture: spec.name, ok: false, message: hostRefused };
  const region = spec.endpoint.host ? regionOfHost(spec.endpoint.host) : regionOfKey(key);
  const client = new PendoClient({ baseUrl, integrationKey: key, timeoutMs: 30_000 });
  try {
    await client.verifyKey();
    return {
      capture: spec.name,
      ok: true,
      region,
      baseUrl,
      message: `key ${displaySecret(spec.endpoint.accessToken)} is valid for region ${region} (${baseUrl})`,
    };
  } catch (err) {
    if (!(err instanceof PendoError)) throw err;
    const hint =
      err.type === PendoErrorType.WrongRegion
        ? ` The key's suffix suggests region ${regionOfKey(key)}; remove host to use it, or set host to your region.`
        : '';
    return { capture: spec.name, ok: false, region, baseUrl, message: err.message + hint };
  }
}

/** Prints what a file states that is legal but probably not meant. */
export function printWarnings(file: string, warnings: ConfigProblem[]): void {
  for (const w of warnings) console.error(`warning: ${file}: ${w.path}: ${w.message}`);
}

/**
 * `pendoflow capture validate -f FILE`: every config problem with its path, including references and hosts a
 * worker with this shell's trust settings would refuse, then a live key check.
 */
export async function validateCommand(
  file: string,
  opts: { check: boolean; json: boolean },
  trust: WorkerTrust = shellTrust(),
): Promise<number> {
  let loaded: LoadedCapture[];
  try {
    loaded = loadCaptures(file);
    assertTrusted(
      file,
      loaded.flatMap(({ spec }) => captureProblems(spec, trust)),
    );
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (opts.json) console.log(JSON.stringify({ ok: false, problems: err.problems }, null, 2));
    else console.error(err.message);
    return 1;
  }
  const specs = loaded.map((c) => c.spec);
  const warnings = loaded.flatMap((c) => c.warnings);
  const checks = opts.check ? await Promise.all(specs.map((spec) => checkKey(spec, trust))) : [];
  if (opts.json) {
    const ok = checks.every((c) => c.ok);
    console.log(JSON.stringify({ ok, captures: specs.map(summarize), warnings, checks }, null, 2));
  } else {
    printWarnings(file, warnings);
    for (const spec of specs) {
      const s = summarize(spec);
      console.log(
        `${spec.name}: valid; ${s.bindings.length} binding(s): ${s.bindings.join(', ')}; start ${s.startDate}`,
      );
    }
    for (const c of checks) (c.ok ? console.log : console.error)(`${c.capture}: ${c.message}`);
  }
  return checks.every((c) => c.ok) ? 0 : 1;
}

function summarize(spec: CaptureSpec) {
  return {
    name: spec.name,
    accessToken: displaySecret(spec.endpoint.accessToken),
    startDate: new Date(spec.settings.startMs).toISOString(),
    intervalMs: spec.settings.intervalMs,
    lateData: spec.settings.lateData,
    bindings: spec.bindings.map((b) => `${b.resource}→${b.target}`),
  };
}
