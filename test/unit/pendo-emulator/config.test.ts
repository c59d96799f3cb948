import { FaultInjector, parseFaultSpec } from '../../../emulators/pendo/faults';
import { deriveKeys, keyRegion, splitRegion } from '../../../emulators/pendo/auth';
import { parseCliOptions } from '../../../emulators/pendo/cli';
import { createEmulatorContext } from '../../../emulators/pendo';

describe('parseFaultSpec', () => {
  it('parses every kind', () => {
    expect(parseFaultSpec('5xx=0.2, 429=0.1,429-retry-after=0.1,reset=0.05,slow=0.05:3000,burst429=4')).toEqual({
      '5xx': 0.2,
      '429': 0.1,
      '429-retry-after': 0.1,
      reset: 0.05,
      slow: { p: 0.05, ms: 3000 },
      burst429: 4,
      'empty-page': { n: 0, skip: 0 },
      'empty-list': { n: 0, skip: 0 },
      'missing-key': { p: 0, field: 'accountId' },
    });
    expect(parseFaultSpec('empty-page=1:3,empty-list=2,missing-key=0.25:id')).toMatchObject({
      'empty-page': { n: 1, skip: 3 },
      'empty-list': { n: 2, skip: 0 },
      'missing-key': { p: 0.25, field: 'id' },
    });
    expect(parseFaultSpec('slow=1').slow).toEqual({ p: 1, ms: 3000 });
    expect(parseFaultSpec('none')).toEqual(parseFaultSpec(''));
  });

  it.each([
    ['5xx=2', /"5xx=2".*\[0, 1\]/],
    ['teapot=0.1', /unknown kind "teapot"/],
    ['5xx', /"5xx": expected KIND=VALUE/],
    ['slow=0.1:fast', /"slow=0.1:fast"/],
    ['burst429=-1', /"burst429=-1"/],
    ['5xx=0.6,429=0.6', /add up to 1.2 > 1/],
    ['empty-page=x', /"empty-page=x": expected N\[:SKIP\]/],
    ['empty-list=1:2:3', /"empty-list=1:2:3"/],
    ['missing-key=0.5:a-b', /"missing-key=0.5:a-b"/],
    ['missing-key=2', /"missing-key=2".*\[0, 1\]/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it('replays the same decisions for the same seed', () => {
    const draw = (seed: number) => {
      const f = new FaultInjector(seed, parseFaultSpec('5xx=0.3,429=0.3,slow=0.5:10'));
      return Array.from({ length: 50 }, () => f.decide());
    };
    const a = draw(1);
    expect(draw(1)).toEqual(a);
    expect(new Set(a.map((d) => d.kind))).toEqual(new Set(['5xx', '429', 'none']));
    expect(a.some((d) => d.slowMs === 10) && a.some((d) => d.slowMs === 0)).toBe(true);
  });
});

describe('body faults', () => {
  const rows = () => Array.from({ length: 200 }, (_, i) => ({ id: `o${i}`, accountId: `a${i}`, n: i }));

  it('answers empty after SKIP answers, N times, for its own kind of request only', () => {
    const f = new FaultInjector(3, parseFaultSpec('empty-page=1:2,empty-list=1'));
    const sizes = (kind: 'aggregation' | 'list') => [...f.rows(kind)(rows())].length;
    expect([sizes('aggregation'), sizes('aggregation'), sizes('aggregation'), sizes('aggregation')]).toEqual([
      200, 200, 0, 200,
    ]);
    expect([sizes('list'), sizes('list')]).toEqual([0, 200]);
    expect(f.current().left).toEqual({ 'empty-page': 0, 'empty-list': 0 });
  });

  it('drops the key field from about the configured share of rows, and only that field', () => {
    const f = new FaultInjector(3, parseFaultSpec('missing-key=0.25'));
    f.decide();
    const out = [...f.rows('aggregation')(rows())];
    const dropped = out.filter((r) => !('accountId' in r));
    expect(out).toHaveLength(200);
    expect(dropped.length).toBeGreaterThan(25);
    expect(dropped.length).toBeLessThan(75);
    expect(dropped.every((r) => Object.keys(r).join() === 'id,n')).toBe(true);
    expect([...new FaultInjector(3, parseFaultSpec('missing-key=0.25:nope')).rows('list')(rows())]).toEqual(rows());
  });
});

describe('keys and regions', () => {
  it('derives one key per region from the seed', () => {
    const { key, keys } = deriveKeys(5);
    expect(key).toBe(keys.us);
    expect(Object.entries(keys).every(([region, k]) => keyRegion(k) === region)).toBe(true);
    expect(keys.us).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.us$/);
    expect(deriveKeys(5)).toEqual(deriveKeys(5));
  });

  it('lets a custom key take the slot of its own region', () => {
    const { key, keys } = deriveKeys(5, 'abc.eu');
    expect(key).toBe('abc.eu');
    expect(keys.eu).toBe('abc.eu');
    expect(keys.us).toBe(deriveKeys(5).keys.us);
    expect(deriveKeys(5, 'plain-key').keys.us).toBe('plain-key');
  });

  it('splits region prefixes off API paths', () => {
    expect(splitRegion('/api/v1/page')).toEqual({ region: 'us', apiPath: '/api/v1/page' });
    expect(splitRegion('/jpn/api/v1/aggregation')).toEqual({ region: 'jpn', apiPath: '/api/v1/aggregation' });
    expect(splitRegion('/xx/api/v1/page')).toBeUndefined();
  });
});

describe('options', () => {
  it('parses CLI flags and rejects bad values clearly', () => {
    expect(parseCliOptions(['--port', '0', '--seed', '9', '--volume', '0.5', '--late-fraction', '0.2'])).toMatchObject({
      port: 0,
      seed: 9,
      volume: 0.5,
      lateFraction: 0.2,
    });
    expect(parseCliOptions(['--help'])).toBe('help');
    expect(() => parseCliOptions(['--port', 'http'])).toThrow(/--port must be a port number/);
    expect(() => parseCliOptions(['--late-fraction', '2'])).toThrow(/--late-fraction/);
    expect(() => parseCliOptions(['--bogus'])).toThrow(/bogus/);
    expect(() => parseCliOptions(['--faults', 'boom=1'])).toThrow(/"boom=1"/);
  });

  it('validates emulator options', () => {
    expect(() => createEmulatorContext({ timezone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
    expect(() => createEmulatorContext({ lateFraction: 1.5 })).toThrow(/lateFraction/);
    expect(() => createEmulatorContext({ lateDelayMs: [5, 1] })).toThrow(/lateDelayMs/);
    expect(() => createEmulatorContext({ faults: 'reset=x' })).toThrow(/"reset=x"/);
    expect(createEmulatorContext({ seed: 2 }).keys).toEqual(deriveKeys(2).keys);
  });
});
