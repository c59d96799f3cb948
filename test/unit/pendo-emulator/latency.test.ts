import { startPendoEmulator } from '../../../emulators/pendo';
import { parseCliOptions } from '../../../emulators/pendo/cli';
import { LatencyModel, parseLatencySpec, REALISTIC_LATENCY } from '../../../emulators/pendo/latency';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 5, 12, 15, 20);

/** A clock that records the waits asked of it and moves only when told. */
function fakeClock() {
  let nowMs = 0;
  const waits: number[] = [];
  return {
    waits,
    advance: (ms: number) => void (nowMs += ms),
    clock: {
      now: () => nowMs,
      sleep: async (ms: number) => {
        waits.push(ms);
        nowMs += ms;
      },
    },
  };
}

describe('issue 13: the Pendo emulator latency model', () => {
  it('parses specs, the realistic preset and off, and names a bad part', () => {
    expect(parseLatencySpec('')).toEqual({});
    expect(parseLatencySpec('off')).toEqual({});
    expect(parseLatencySpec('aggregation=1500:20000, list=200')).toEqual({
      aggregation: { firstByteMs: 1500, rowsPerSecond: 20000 },
      list: { firstByteMs: 200, rowsPerSecond: 0 },
    });
    expect(parseLatencySpec('realistic')).toEqual(parseLatencySpec(REALISTIC_LATENCY));
    expect(() => parseLatencySpec('aggregation=fast')).toThrow(/"aggregation=fast".*MS must be a whole number/);
    expect(() => parseLatencySpec('search=10')).toThrow(/"search=10"/);
    expect(() => parseLatencySpec('list=1:2:3')).toThrow(/"list=1:2:3"/);
    expect(() => parseCliOptions(['--latency', 'list=-1'])).toThrow(/"list=-1"/);
    expect(parseCliOptions(['--latency', 'realistic'])).toMatchObject({ latency: 'realistic' });
  });

  it('waits the first-byte latency, then paces rows at the modelled rate', async () => {
    const { clock, waits, advance } = fakeClock();
    const model = new LatencyModel(parseLatencySpec('aggregation=2000:1000'), clock);
    const pacer = await model.start('aggregation');
    expect(waits).toEqual([2000]);
    const rows = [...pacer.count(Array.from({ length: 500 }, (_, i) => i))];
    expect(rows).toHaveLength(500);
    advance(100);
    await pacer.pace();
    // 500 rows at 1000 rows/s are due 500 ms after the first byte; 100 ms have passed.
    expect(waits).toEqual([2000, 400]);
    await pacer.pace();
    expect(waits).toEqual([2000, 400]);
    // Lists are not modelled here, so they neither wait nor pace.
    await (await model.start('list')).pace();
    expect(waits).toEqual([2000, 400]);
  });

  it('is off by default, set through /_emulator/latency, and changes no answer', async () => {
    const emu = await startPendoEmulator({ seed: 3, now: () => NOW, dataStartMs: NOW - 2 * 24 * HOUR });
    try {
      const admin = (init?: RequestInit) => fetch(`${emu.url}/_emulator/latency`, init);
      expect(await (await admin()).json()).toEqual({ spec: 'off' });
      const list = async () =>
        (await fetch(`${emu.url}/api/v1/page?expand=*`, { headers: { 'x-pendo-integration-key': emu.key } })).json();
      const before = await list();
      const put = await admin({ method: 'PUT', body: JSON.stringify({ spec: 'list=20:100000' }) });
      expect(await put.json()).toMatchObject({ spec: 'list=20:100000', list: { firstByteMs: 20 } });
      expect(await list()).toEqual(before);
      const bad = await admin({ method: 'PUT', body: JSON.stringify({ spec: 'list=soon' }) });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/list=soon/);
    } finally {
      await emu.close();
    }
  });
});

test('issue 13: the emulator counts the API requests it answers at once', async () => {
  const emu = await startPendoEmulator({ seed: 3, now: () => NOW, latency: 'list=150' });
  try {
    const load = async () => (await fetch(`${emu.url}/_emulator/load`, { method: 'POST' })).json();
    expect(await load()).toEqual({ inFlight: 0, peak: 0 });
    const list = () => fetch(`${emu.url}/api/v1/page`, { headers: { 'x-pendo-integration-key': emu.key } });
    await Promise.all([list(), list(), list()].map(async (r) => (await r).text()));
    expect(await load()).toEqual({ inFlight: 0, peak: 3 });
    expect(await load()).toEqual({ inFlight: 0, peak: 0 });
  } finally {
    await emu.close();
  }
});
