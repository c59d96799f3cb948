import { startPendoEmulator, type RunningPendoEmulator } from '../../../emulators/pendo';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 5, 12, 15, 20);

let emu: RunningPendoEmulator;
beforeAll(async () => {
  emu = await startPendoEmulator({ seed: 3, now: () => NOW, dataStartMs: NOW - 2 * 24 * HOUR });
});
afterAll(() => emu.close());

const api = (path: string, init: RequestInit = {}, key: string | null = emu.key) =>
  fetch(`${emu.url}${path}`, {
    ...init,
    headers: {
      ...(key ? { 'X-Pendo-Integration-Key': key } : {}),
      'content-type': 'application/json',
      ...init.headers,
    },
  });
const aggregate = (pipeline: unknown[], prefix = '') =>
  api(`${prefix}/api/v1/aggregation`, {
    method: 'POST',
    body: JSON.stringify({ response: { mimeType: 'application/json' }, request: { pipeline } }),
  });
const putFaults = (spec: string) =>
  fetch(`${emu.url}/_emulator/faults`, { method: 'PUT', body: JSON.stringify({ spec }) });

describe('auth and regions', () => {
  it('answers 403 without a key or with an unknown one', async () => {
    const missing = await api('/api/v1/page', {}, null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toHaveProperty('message');
    expect((await api('/api/v1/page', {}, 'nope.us')).status).toBe(403);
  });

  it('answers 400 with a text body for a key of another region', async () => {
    const res = await api('/eu/api/v1/page');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/belongs to the us region/);
    expect((await api('/eu/api/v1/token/verify', {}, emu.keys.eu)).status).toBe(200);
    expect((await api('/api/v1/token/verify', {}, emu.keys.jpn)).status).toBe(400);
  });

  it('verifies a key', async () => {
    const res = await api('/us/api/v1/token/verify');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: true, region: 'us' });
    expect(emu.key.endsWith('.us')).toBe(true);
  });

  it('serves metadata schemas', async () => {
    const schema = (await (await api('/api/v1/metadata/schema/account')).json()) as object;
    expect(Object.keys(schema)).toEqual(expect.arrayContaining(['agent', 'auto', 'custom', 'pendo']));
    expect(await (await api('/api/v1/metadata/schema/AccountMetadata')).json()).toEqual({});
  });
});

describe('metadata lists', () => {
  it('returns the default app without expand and all apps with expand=*', async () => {
    const plain = (await (await api('/api/v1/feature')).json()) as { appId: number }[];
    const all = (await (await api('/api/v1/feature?expand=*')).json()) as { id: string; appId: number }[];
    expect(plain.every((f) => f.appId === -323232)).toBe(true);
    expect(all.length).toBeGreaterThan(plain.length);
    const two = all.slice(0, 2).map((f) => f.id);
    const byId = (await (await api(`/api/v1/feature?expand=*&id=${two.join(',')}`)).json()) as { id: string }[];
    expect(byId.map((f) => f.id)).toEqual(two);
    const publicGuides = (await (await api('/api/v1/guide?expand=*&state=public')).json()) as { state: string }[];
    expect(publicGuides.length).toBe(2);
  });

  it('reflects admin creates, modifications and deletions', async () => {
    const created = (await (
      await fetch(`${emu.url}/_emulator/metadata/report`, { method: 'POST', body: JSON.stringify({ name: 'Churn' }) })
    ).json()) as { id: string };
    expect(created).toMatchObject({ name: 'Churn', appId: -323232, lastUpdatedAt: NOW });
    const patched = await fetch(`${emu.url}/_emulator/metadata/report/${created.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Churn v2' }),
    });
    expect(await patched.json()).toMatchObject({ name: 'Churn v2' });
    let reports = (await (await api('/api/v1/report')).json()) as { id: string; name: string }[];
    expect(reports.find((r) => r.id === created.id)?.name).toBe('Churn v2');
    expect((await fetch(`${emu.url}/_emulator/metadata/report/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    reports = (await (await api('/api/v1/report')).json()) as { id: string; name: string }[];
    expect(reports.some((r) => r.id === created.id)).toBe(false);
  });
});

describe('aggregation', () => {
  const day = { period: 'dayRange', first: 'now()', count: -1 };

  it('streams results in the {startTime, results} envelope', async () => {
    const res = await aggregate([{ source: { pageEvents: { appId: 'expandAppIds("*")' }, timeSeries: day } }]);
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    const body = (await res.json()) as { startTime: number; results: { day: number }[] };
    expect(body.startTime).toBe(Date.UTC(2024, 5, 11, 4));
    expect(body.results.length).toBeGreaterThan(100);
    expect(body.results.every((r) => r.day === body.startTime)).toBe(true);
  });

  it('matches the truth endpoint for the same hours', async () => {
    const first = NOW - 6 * HOUR - (NOW % HOUR);
    const res = await aggregate([
      { source: { guideEvents: { appId: 'expandAppIds(`*`)' }, timeSeries: { period: 'hourRange', first, count: 3 } } },
    ]);
    const { results } = (await res.json()) as { results: unknown[] };
    const truth = (
      await (await fetch(`${emu.url}/_emulator/truth/guideEvents?first=${first}&last=${first + 3 * HOUR}`)).text()
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(results).toEqual(truth);
  });

  it('answers a bad filter and an unknown source with a plain-text 400', async () => {
    const bad = await aggregate([{ source: { pageEvents: null, timeSeries: day } }, { filter: 'visitorId == "a"b"' }]);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await bad.text()).toBe('Cannot parse filter expression');
    const unknown = await aggregate([{ source: { segments: null } }]);
    expect(unknown.status).toBe(400);
  });

  it('makes injected late events visible at once', async () => {
    const hourMs = NOW - 10 * HOUR - (NOW % HOUR);
    const res = await fetch(`${emu.url}/_emulator/late-events`, {
      method: 'POST',
      body: JSON.stringify({ source: 'featureEvents', hourMs, count: 2 }),
    });
    const { updatedKeys, addedKeys } = (await res.json()) as {
      updatedKeys: unknown[];
      addedKeys: { remoteIp: string }[];
    };
    expect(updatedKeys.length).toBe(2);
    const q = await aggregate([
      {
        source: {
          featureEvents: { appId: 'expandAppIds("*")' },
          timeSeries: { period: 'hourRange', first: hourMs, count: 1 },
        },
      },
      { filter: `remoteIp == "${addedKeys[0]?.remoteIp}"` },
    ]);
    expect(((await q.json()) as { results: unknown[] }).results).toHaveLength(1);
  });
});

describe('faults', () => {
  afterEach(() => putFaults(''));

  it('rejects a bad spec naming the bad part', async () => {
    const res = await putFaults('5xx=0.2,teapot=1');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/"teapot=1"/);
  });

  it('answers 429 with Retry-After, then bursts, leaving the admin API alone', async () => {
    await putFaults('429-retry-after=1');
    const res = await api('/api/v1/page');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${emu.url}/_emulator/info`)).status).toBe(200);
    await putFaults('burst429=2');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api('/api/v1/token/verify')).status);
    expect(statuses).toEqual([429, 429, 200]);
    expect(statuses.length).toBe(3);
  });

  it('answers 5xx and cuts a streamed body short', async () => {
    await putFaults('5xx=1');
    expect([500, 502, 503]).toContain((await api('/api/v1/guide')).status);
    await putFaults('reset=1');
    const res = await aggregate([
      { source: { pageEvents: null, timeSeries: { period: 'dayRange', first: 'now()', count: -1 } } },
    ]);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('fails aggregations above the row budget as too large', async () => {
    const small = await startPendoEmulator({ seed: 3, now: () => NOW, rowBudget: 100 });
    try {
      const res = await fetch(`${small.url}/api/v1/aggregation`, {
        method: 'POST',
        headers: { 'x-pendo-integration-key': small.key, 'content-type': 'application/json' },
        body: JSON.stringify({
          request: {
            pipeline: [{ source: { pageEvents: null, timeSeries: { period: 'dayRange', first: 'now()', count: -2 } } }],
          },
        }),
      });
      expect(res.status).toBe(500);
      expect(await res.text()).toMatch(/^Aggregation too large/);
    } finally {
      await small.close();
    }
  });

  it('counts requests by route and status', async () => {
    const stats = (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as Record<string, Record<string, number>>;
    expect(stats['GET /api/v1/page']?.['403']).toBeGreaterThanOrEqual(2);
    expect(stats['POST /api/v1/aggregation']?.['200']).toBeGreaterThanOrEqual(1);
  });
});
