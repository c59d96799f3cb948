import { ConfigError, parseCaptureDocument, parseCaptures } from '../../../src/config/load';
import { ReconfigureArgsSchema } from '../../../src/workflows/capture/reconfigure-schema';

const NOW = Date.parse('2026-11-24T10:30:00Z');

function problems(doc: unknown): string[] {
  try {
    parseCaptureDocument(doc, 'test.yaml', NOW);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected the document to be rejected');
}

describe('capture config', () => {
  it("accepts Estuary's capture spec unchanged", () => {
    const [spec] = parseCaptureDocument(
      {
        captures: {
          'acme/pendo': {
            endpoint: {
              connector: {
                image: 'ghcr.io/estuary/source-pendo:v1',
                config: {
                  credentials: { credentials_title: 'Private App Credentials', access_token: 'env:PENDO_KEY' },
                  startDate: '2026-11-01T00:00:00Z',
                  advanced: { incremental_limit: 500 },
                },
              },
            },
            bindings: [
              { resource: { name: 'Page', interval: 'PT10M' }, target: 'acme/pendo/Page' },
              { resource: { name: 'PageEvents' }, target: 'acme/pendo/PageEvents' },
            ],
            shards: { logLevel: 'info' },
          },
        },
      },
      'flow.yaml',
      NOW,
    );
    expect(spec).toMatchObject({
      name: 'acme/pendo',
      endpoint: { accessToken: 'env:PENDO_KEY' },
      settings: {
        startMs: Date.parse('2026-11-01T00:00:00Z'),
        intervalMs: 600_000,
        limits: { incrementalLimit: 500, backfillLimit: 50_000 },
      },
      bindings: [
        { resource: 'Page', target: 'acme/pendo/Page' },
        { resource: 'PageEvents', target: 'acme/pendo/PageEvents' },
      ],
    });
  });

  it('defaults startDate to one hour before now, and the late-data settings to rescan', () => {
    const [spec] = parseCaptureDocument(
      { name: 'demo', endpoint: { credentials: { access_token: 'env:K' } }, bindings: [{ resource: 'Feature' }] },
      'x',
      NOW,
    );
    expect(spec?.settings.startMs).toBe(NOW - 3_600_000);
    expect(spec?.settings.lateData).toEqual({
      mode: 'rescan',
      processingDelayMs: 900_000,
      rescanWindowMs: 86_400_000,
      rescanEveryMs: 3_600_000,
      settleDelayMs: 28_800_000,
    });
    expect(spec?.bindings).toEqual([{ resource: 'Feature', target: 'demo/Feature' }]);
  });

  it('issue 8 finding 6: reads shrink_guard, 0.5 by default, and refuses a share outside 0 to 1', () => {
    const doc = (advanced?: unknown) => ({
      name: 'demo',
      endpoint: { credentials: { access_token: 'env:K' }, advanced },
      bindings: [{ resource: 'Page' }],
    });
    expect(parseCaptureDocument(doc(), 'x', NOW)[0]?.settings.limits.shrinkGuard).toBe(0.5);
    expect(parseCaptureDocument(doc({ shrink_guard: 0.2 }), 'x', NOW)[0]?.settings.limits.shrinkGuard).toBe(0.2);
    expect(problems(doc({ shrink_guard: 1.5 }))).toEqual([
      'endpoint.advanced.shrink_guard: must be a number from 0 to 1',
    ]);
    expect(ReconfigureArgsSchema.safeParse({ settings: { limits: { shrinkGuard: 0.3 } } }).success).toBe(true);
    const bad = ReconfigureArgsSchema.safeParse({ settings: { limits: { shrinkGuard: -1 } } });
    expect(bad.success ? [] : bad.error.issues).toEqual([
      { path: ['settings', 'limits', 'shrinkGuard'], message: 'must be a number from 0 to 1' },
    ]);
  });

  it('names every problem with its full path in an Estuary file', () => {
    const found = problems({
      captures: {
        'acme/pendo': {
          endpoint: {
            connector: {
              config: {
                credentials: {},
                startDate: '2026-11-01',
                host: 'https://example.com',
                advanced: { backfill_limit: 90_000 },
              },
            },
          },
          bindings: [{ resource: { name: 'Visitors' } }],
        },
      },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^captures\.acme\/pendo\.endpoint\.connector\.config\.credentials\.access_token: /),
        expect.stringMatching(/^captures\.acme\/pendo\.endpoint\.connector\.config\.startDate: must be a UTC time/),
        expect.stringMatching(
          /^captures\.acme\/pendo\.endpoint\.connector\.config\.host: must be one of https:\/\/app\.pendo\.io/,
        ),
        expect.stringMatching(
          /^captures\.acme\/pendo\.endpoint\.connector\.config\.advanced\.backfill_limit: must be a whole number from 1 to 50000/,
        ),
        expect.stringMatching(/^captures\.acme\/pendo\.bindings\.0\.resource/),
      ]),
    );
  });

  it('rejects bad durations and out-of-range late-data settings with readable messages', () => {
    const found = problems({
      name: 'demo',
      endpoint: { credentials: { access_token: 'env:K' } },
      interval: 'often',
      lateData: { mode: 'sometimes', rescanWindow: '90d' },
      bindings: [{ resource: 'Page' }],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        "interval: 'often' is not a duration; write for example 90s, 5m, 1h or PT5M",
        expect.stringMatching(/^lateData\.mode: /),
        'lateData.rescanWindow: must be between 0s and 30d',
      ]),
    );
  });

  it('rejects a resource bound twice', () => {
    expect(
      problems({
        name: 'd',
        endpoint: { credentials: { access_token: 'x' } },
        bindings: [{ resource: 'Page' }, { resource: 'Page' }],
      }),
    ).toEqual(['bindings: lists Page more than once']);
  });
});

describe('issue 8 finding 4: reconfigure sends only what the file states', () => {
  const base = { name: 'd', endpoint: { credentials: { access_token: 'env:K' } } };

  it('a file without startDate, limits or late data changes only its interval, and leaves the bindings alone', () => {
    const [loaded] = parseCaptures({ ...base, interval: '2m' }, 'x', NOW);
    expect(loaded?.changes).toEqual({ settings: { intervalMs: 120_000 } });
    // What start runs still has every default.
    expect(loaded?.spec.settings.startMs).toBe(NOW - 3_600_000);
    expect(loaded?.spec.bindings).toHaveLength(9);
  });

  it('a field the file states is sent, one it leaves out is not', () => {
    const [loaded] = parseCaptures(
      {
        ...base,
        endpoint: { ...base.endpoint, startDate: '2026-11-01T00:00:00Z', advanced: { window_hours: 6 } },
        lateData: { rescanWindow: '48h' },
        bindings: [{ resource: 'Page' }],
      },
      'x',
      NOW,
    );
    expect(loaded?.changes).toEqual({
      bindings: [{ resource: 'Page', target: 'd/Page' }],
      settings: {
        startMs: Date.parse('2026-11-01T00:00:00Z'),
        limits: { windowHours: 6 },
        lateData: { rescanWindowMs: 172_800_000 },
      },
    });
    expect(loaded?.spec.settings.lateData).toMatchObject({ rescanWindowMs: 172_800_000, rescanEveryMs: 3_600_000 });
  });
});
