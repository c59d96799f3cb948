import { AsyncLocalStorage } from 'node:async_hooks';
import { cancellationSignal } from '@temporalio/activity';
import { heartbeating } from '../heartbeating';
import { createAepClients, type AepClients } from '../../aep';
import { assertHostAllowed } from '../../config/host-rules';
import { resolveSecret } from '../../config/secrets';
import type { WorkerTrust } from '../../config/trust';
import type { AepTarget } from '../../workflows/dataflow/types';
import { toApplicationFailure } from '../failures';

const HEARTBEAT_EVERY_MS = 2000;
/** Below the activities' startToCloseTimeout, so a hung AEP call fails the attempt rather than the timeout. */
const REQUEST_TIMEOUT_MS = 20_000;

const trustScope = new AsyncLocalStorage<WorkerTrust>();

/** The AEP activities, each running under the worker's trust rules (which `withAep` reads). */
export function underTrust<A extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: A,
  trust: WorkerTrust,
): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (...args: never[]) => trustScope.run(trust, () => fn(...args)),
    ]),
  ) as A;
}

/**
 * Runs `fn` with AEP clients for `target`. The IMS and platform hosts must be Adobe's or allowed by the worker;
 * only then is the client secret resolved, here, on the worker, within the worker's rules, and never returned.
 * Heartbeats on a timer, so a killed worker is noticed within the heartbeat timeout; failures leave as
 * ApplicationFailures. IMS tokens come from the worker-wide cache.
 */
export async function withAep<T>(
  target: AepTarget,
  fn: (aep: AepClients, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    const trust = trustScope.getStore();
    if (!trust) throw new Error('AEP activities run only as created by createAepActivities(trust)');
    assertHostAllowed(target.imsUrl, 'ims', trust.allowedHosts);
    assertHostAllowed(target.platformUrl, 'platform', trust.allowedHosts);
    const clients = createAepClients(
      { ...target, clientSecret: resolveSecret(target.clientSecret, trust.secrets) },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return await heartbeating(() => fn(clients, cancellationSignal()), HEARTBEAT_EVERY_MS);
  } catch (err) {
    throw toApplicationFailure(err);
  }
}
