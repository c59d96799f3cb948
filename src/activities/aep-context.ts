import { cancellationSignal } from '@temporalio/activity';
import { heartbeating } from './heartbeating';
import { createAepClients, type AepClients } from '../aep';
import { resolveSecret } from '../config/secrets';
import type { AepTarget } from '../shared/dataflow-types';
import { toAepFailure } from './aep-failures';

const HEARTBEAT_EVERY_MS = 2000;
/** Below the activities' startToCloseTimeout, so a hung AEP call fails the attempt rather than the timeout. */
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Runs `fn` with AEP clients for `target`. The client secret is resolved here, on the worker, and never
 * returned. Heartbeats on a timer, so a killed worker is noticed within the heartbeat timeout; failures leave
 * as ApplicationFailures. IMS tokens come from the worker-wide cache.
 */
export async function withAep<T>(
  target: AepTarget,
  fn: (aep: AepClients, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    const clients = createAepClients(
      { ...target, clientSecret: resolveSecret(target.clientSecret) },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return await heartbeating(() => fn(clients, cancellationSignal()), HEARTBEAT_EVERY_MS);
  } catch (err) {
    throw toAepFailure(err);
  }
}
