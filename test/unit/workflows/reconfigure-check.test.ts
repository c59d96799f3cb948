import type { CaptureSpec } from '../../../src/workflows/capture/types';
import { reconfigureProblem } from '../../../src/workflows/capture/reconfigure-check';

const spec: CaptureSpec = {
  name: 'acme',
  endpoint: { accessToken: 'env:K' },
  settings: {
    startMs: Date.parse('2026-11-01T00:00:00Z'),
    intervalMs: 60_000,
    limits: { incrementalLimit: 1000, backfillLimit: 50_000, windowHours: 24, requestTimeoutMs: 300_000 },
    lateData: { mode: 'rescan', processingDelayMs: 0, rescanWindowMs: 0, rescanEveryMs: 3_600_000, settleDelayMs: 0 },
  },
  bindings: [
    { resource: 'Page', target: 'acme/Page' },
    { resource: 'PageEvents', target: 'acme/PageEvents' },
  ],
};

describe('issue 8 finding 5: reconfigure signals the capture workflow refuses', () => {
  it('refuses a changed target for a running binding, and takes a new binding with its own', () => {
    expect(reconfigureProblem({ bindings: [{ resource: 'Page', target: 'elsewhere/Page' }] }, spec)).toBe(
      "bindings.0.target: Page writes to 'acme/Page'; a running binding's target cannot change",
    );
    expect(
      reconfigureProblem(
        {
          bindings: [
            { resource: 'Page', target: 'acme/Page' },
            { resource: 'Feature', target: 'acme/Feature' },
          ],
        },
        spec,
      ),
    ).toBeUndefined();
  });

  it('refuses an argument over 64 KiB before reading it, with a short summary', () => {
    for (const args of [
      { reason: 'r'.repeat(1_900_000) },
      { bindings: [{ resource: 'Page', target: `a/${'x'.repeat(70_000)}` }] },
      { ['k'.repeat(70_000)]: 1 },
    ]) {
      const why = reconfigureProblem(args, spec);
      expect(why).toMatch(/^\(argument\): is \d+ characters of JSON; the limit is 64 KiB$/);
    }
  });

  it('keeps the summary of many problems short', () => {
    const why = reconfigureProblem({ ['k'.repeat(60_000)]: 1 }, spec) ?? '';
    expect(why).toMatch(/has an unknown field/);
    expect(why.length).toBeLessThanOrEqual(501);
  });
});
