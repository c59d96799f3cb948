import { startPendoEmulator, type PendoEmulatorOptions, type RunningPendoEmulator } from '../../../emulators/pendo';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 5, 12, 15, 20);
type Row = Record<string, unknown>;

let clock = NOW;
let emu: RunningPendoEmulator;
const extra: RunningPendoEmulator[] = [];
beforeAll(async () => {
  emu = await startPendoEmulator({ seed: 3, now: () => clock, dataStartMs: NOW - 2 * 24 * HOUR });
});
afterEach(() => {
  clock = NOW;
});
afterAll(async () => {
  await emu.close();
  await Promise.all(extra.map((e) => e.close()));
});

async function another(opts: PendoEmulatorOptions): Promise<RunningPendoEmulator> {
  const started = await startPendoEmulator({ seed: 3, now: () => NOW, ...opts });
  extra.push(started);
  return started;
}

const api = (path: string, init: RequestInit = {}, on = emu) =>
  fetch(`${on.url}${path}`, {
    ...init,
    headers: { 'x-pendo-integration-key': on.key, 'content-type': 'application/json' },
  });

async function aggregate(pipeline: unknown[], on = emu): Promise<Row[]> {
  const res = await api(
    '/api/v1/aggregation',
    { method: 'POST', body: JSON.stringify({ response: { mimeType: 'application/json' }, request: { pipeline } }) },
    on,
  );
  const text = await res.text();
  if (res.status !== 200) throw new Error(`aggregation: HTTP ${res.status} ${text}`);
  return (JSON.parse(text) as { results: Row[] }).results;
}

async function truth(source: string, on = emu): Promise<Row[]> {
  const res = await fetch(`${on.url}/_emulator/truth/${source}`);
  if (res.status !== 200) throw new Error(`truth ${source}: HTTP ${res.status}`);
  return (await res.text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Row);
}

const updated = (row: Row): number =>
  (row.metadata as { auto: { lastupdated: number } } | undefined)?.auto.lastupdated ?? (row.lastUpdatedAt as number);

function largestTie(rows: Row[]): number {
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(updated(row), (counts.get(updated(row)) ?? 0) + 1);
  return Math.max(...counts.values());
}

describe('issue 12: the six more resources', () => {
  it('serves GET /api/v1/segment as a JSON array of segments, the same as its truth', async () => {
    const res = await api('/api/v1/segment?expand=*');
    expect(res.status).toBe(200);
    const segments = (await res.json()) as Row[];
    expect(segments.length).toBeGreaterThan(2);
    for (const segment of segments) {
      expect(segment).toMatchObject({ kind: 'Segment', id: expect.any(String), name: expect.any(String) });
      expect(segment).toHaveProperty('pipeline');
      expect(segment).toHaveProperty('definition');
      expect(typeof segment.lastUpdatedAt).toBe('number');
    }
    expect(await truth('segment')).toEqual(segments);
  });

  it.each([
    ['accounts', 'accountId'],
    ['visitors', 'visitorId'],
  ])('serves the %s row source, sorted and filtered on metadata.auto.lastupdated, as its truth', async (source, id) => {
    const all = await truth(source);
    expect(all.length).toBeGreaterThanOrEqual(source === 'accounts' ? 30 : 200);
    const median = all.map(updated).sort((a, b) => a - b)[Math.floor(all.length / 2)] as number;
    const rows = await aggregate([
      // A timeSeries nested in the source argument, as Estuary sends it, is accepted and narrows nothing.
      {
        source: {
          [source]: {
            appId: 'expandAppIds("*")',
            timeSeries: { period: 'hourRange', first: String(NOW - 30 * 24 * HOUR), last: 'now()' },
          },
        },
      },
      { filter: `metadata.auto.lastupdated >= ${median}` },
      { sort: ['metadata.auto.lastupdated', id] },
    ]);
    const want = all
      .filter((r) => updated(r) >= median)
      .sort((a, b) => updated(a) - updated(b) || (String(a[id]) < String(b[id]) ? -1 : 1));
    expect(rows).toEqual(want);
  });

  it('drops anonymous visitors when the visitors source asks for identified ones only', async () => {
    const all = await aggregate([{ source: { visitors: null } }]);
    const identified = await aggregate([{ source: { visitors: { identified: true } } }]);
    const anonymous = all.filter((r) => String(r.visitorId).startsWith('_PENDO_T_'));
    expect(anonymous.length).toBeGreaterThan(0);
    expect(identified).toHaveLength(all.length - anonymous.length);
  });

  it('changes accounts and visitors over time: a day later some have a later lastupdated and other content', async () => {
    const before = new Map((await truth('visitors')).map((r) => [r.visitorId, r]));
    clock = NOW + 24 * HOUR;
    const after = await truth('visitors');
    const changed = after.filter((r) => updated(r) > updated(before.get(r.visitorId) as Row));
    expect(changed.length).toBeGreaterThan(20);
    expect(changed.length).toBeLessThan(after.length);
    expect(after.every((r) => updated(r) <= clock)).toBe(true);
  });

  it('has a realistic bulk-sync hot spot by default, and every row at one ms in the stress setting', async () => {
    const realistic = largestTie(await truth('visitors'));
    expect(realistic).toBeGreaterThan(50);
    expect(realistic).toBeLessThan(150);
    const stress = await another({ hotSpots: 'stress' });
    expect(largestTie(await truth('visitors', stress))).toBeGreaterThan(150);
  });

  it('serves the trackTypes row source with lastUpdatedAt, the same as its truth', async () => {
    const rows = await aggregate([
      { source: { trackTypes: { appId: 'expandAppIds("*")' } } },
      { sort: ['lastUpdatedAt', 'id'] },
    ]);
    expect(rows.length).toBeGreaterThan(1);
    const want = (await truth('trackType')).sort((a, b) => updated(a) - updated(b));
    expect(rows).toEqual(want);
  });

  it.each([
    ['account', 'accountMetadata'],
    ['visitor', 'visitorMetadata'],
  ])('serves /metadata/schema/%s, the same as its truth', async (kind, source) => {
    const res = await api(`/api/v1/metadata/schema/${kind}`);
    expect(res.status).toBe(200);
    const schema = (await res.json()) as Record<string, Record<string, { Type: string }>>;
    expect(schema.auto?.lastupdated?.Type).toBe('time');
    expect(await truth(source)).toEqual([schema]);
  });
});

describe('issue 12: Pendo emulator points, settled', () => {
  it('answers an unknown metadata schema name with 200 {} by default and 404 when configured', async () => {
    const res = await api('/api/v1/metadata/schema/AccountMetadata');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const strict = await another({ unknownSchema: 'not-found' });
    const missing = await api('/api/v1/metadata/schema/AccountMetadata', {}, strict);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/AccountMetadata/);
  });

  it('answers a key of another region with 400 by default, and with the configured status', async () => {
    expect((await api('/eu/api/v1/page')).status).toBe(400);
    const other = await another({ wrongRegionStatus: 403 });
    expect((await api('/eu/api/v1/page', {}, other)).status).toBe(403);
  });

  it('refuses bad settings with a message naming them', async () => {
    await expect(another({ hotSpots: 'dense' as never })).rejects.toThrow(/hotSpots/);
    await expect(another({ wrongRegionStatus: 200 })).rejects.toThrow(/wrongRegionStatus/);
  });
});
