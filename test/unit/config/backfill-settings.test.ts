import { parseCaptureDocument, parseCaptures } from '../../../src/config/load';
import { DEFAULT_BACKFILL_CONCURRENCY, DEFAULT_REQUEST_BUDGET } from '../../../src/workflows/capture/bounds';
import { reconfigureProblem } from '../../../src/workflows/capture/reconfigure-check';

const doc = (advanced: Record<string, unknown>) => ({
  name: 'acme',
  endpoint: { credentials: { access_token: 'env:PENDO_KEY' }, advanced },
});

describe('issue 13: backfill_concurrency and the request budget in the file and in reconfigure', () => {
  it('defaults, and reads the file names into the limits', () => {
    const [plain] = parseCaptureDocument(doc({}), 'acme.yaml');
    expect(plain?.settings.limits).toMatchObject({
      backfillConcurrency: DEFAULT_BACKFILL_CONCURRENCY,
      ...DEFAULT_REQUEST_BUDGET,
    });
    const [set] = parseCaptureDocument(
      doc({ backfill_concurrency: 8, requests_per_second: 5, concurrent_requests: 12 }),
      'acme.yaml',
    );
    expect(set?.settings.limits).toMatchObject({
      backfillConcurrency: 8,
      requestsPerSecond: 5,
      concurrentRequests: 12,
    });
  });

  it('names a value out of bounds, in the file and in a reconfigure', () => {
    expect(() => parseCaptures(doc({ backfill_concurrency: 0 }), 'acme.yaml')).toThrow(
      /advanced\.backfill_concurrency: must be a whole number from 1 to 32/,
    );
    expect(() => parseCaptures(doc({ concurrent_requests: 1.5 }), 'acme.yaml')).toThrow(
      /advanced\.concurrent_requests: must be a whole number from 1 to 256/,
    );
    const [spec] = parseCaptureDocument(doc({}), 'acme.yaml');
    if (!spec) throw new Error('no spec');
    expect(reconfigureProblem({ settings: { limits: { backfillConcurrency: 33 } } }, spec)).toMatch(
      /settings\.limits\.backfillConcurrency: .*1 to 32/,
    );
    expect(reconfigureProblem({ settings: { limits: { requestsPerSecond: 0 } } }, spec)).toMatch(
      /settings\.limits\.requestsPerSecond/,
    );
    expect(reconfigureProblem({ settings: { limits: { backfillConcurrency: 6, concurrentRequests: 40 } } }, spec)).toBe(
      undefined,
    );
  });
});
