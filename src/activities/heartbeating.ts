import { heartbeat } from '@temporalio/activity';

/**
 * Heartbeats on a timer while `fn` runs, so the server notices a dead worker within the heartbeat timeout even
 * when one vendor response takes longer than that; request timeouts guard against a hung vendor. `fn` may also
 * report progress, which the next heartbeats carry.
 */
export async function heartbeating<T>(
  fn: (progress: (details: unknown) => void) => Promise<T>,
  everyMs = 5000,
  { atStart = true }: { atStart?: boolean } = {},
): Promise<T> {
  let details: unknown;
  if (atStart) heartbeat();
  const timer = setInterval(() => heartbeat(details), everyMs);
  try {
    return await fn((d) => {
      details = d;
      heartbeat(d);
    });
  } finally {
    clearInterval(timer);
  }
}
