import { parseCliArgs } from '../../../emulators/aep/cli';
import { FaultEngine, FaultSpecError, parseFaultSpec } from '../../../emulators/aep/faults';
import { applyMappings, evaluate, validatePendoRecord } from '../../../emulators/aep/mapping';
import { matchesProperty } from '../../../emulators/aep/flow-service-query';

describe('emulator fault spec', () => {
  it('parses every kind with its options and defaults', () => {
    expect(
      parseFaultSpec(
        '503:times=2:path=/flows, 429:retry-after=1, 500:rate=0.5, latency:ms=20, token-expiry:after=3, etag-race, flow-create',
      ),
    ).toEqual([
      { kind: 'status', status: 503, after: 0, times: 2, path: '/flows' },
      { kind: 'status', status: 429, after: 0, retryAfterS: 1, times: 1 },
      { kind: 'status', status: 500, after: 0, rate: 0.5 },
      { kind: 'latency', after: 0, ms: 20 },
      { kind: 'token-expiry', after: 3, times: 1 },
      { kind: 'etag-race', after: 0, times: 1 },
      { kind: 'flow-create', after: 0, code: 1425 },
    ]);
    expect(parseFaultSpec('  ')).toEqual([]);
    expect(parseFaultSpec('502:method=patch')[0]).toMatchObject({ method: 'PATCH' });
  });

  it.each([
    ['boom', /unknown kind 'boom'/],
    ['200', /status must be 400-599/],
    ['503:times', /must look like key=value/],
    ['503:times=0', /times must be an integer >= 1/],
    ['503:ms=5', /option 'ms' is not valid here/],
    ['latency', /latency needs ms=N/],
    ['500:rate=2', /rate must be a number between 0 and 1/],
    ['flow-create:code=9999', /code must be one of/],
    ['reject-message', /reject-message needs match=TEXT/],
    ['reject-batch:match=x:status=700', /status must be 400-599/],
    ['503:match=x', /option 'match' is not valid here/],
  ])('rejects %s clearly', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it('fires rules by path, after N events, a limited number of times', () => {
    const engine = new FaultEngine(parseFaultSpec('503:path=/flows:after=1:times=2'));
    const fire = (path: string) => engine.fire('status', { method: 'GET', path })?.status;
    expect([fire('/catalog'), fire('/flows'), fire('/flows'), fire('/flows'), fire('/flows')]).toEqual([
      undefined,
      undefined,
      503,
      503,
      undefined,
    ]);
    expect(engine.describe()[0]).toMatchObject({ fired: 2, remaining: 0 });
  });

  it('issue 8 finding 1: reject rules refuse messages whose JSON holds the text, until cleared', () => {
    expect(parseFaultSpec('reject-message:match=visitor-7", reject-batch:match=x:status=413:times=1')).toEqual([
      { kind: 'reject-message', after: 0, match: 'visitor-7"', status: 400 },
      { kind: 'reject-batch', after: 0, match: 'x', status: 413, times: 1 },
    ]);
    const engine = new FaultEngine(parseFaultSpec('reject-message:match=visitor-7"'));
    const fire = (text: string) => engine.fire('reject-message', { path: '/collection/batch/i', text })?.status;
    expect([fire('{"visitorId":"visitor-70"}'), fire('{"visitorId":"visitor-7"}'), fire('{"v":"visitor-7"}')]).toEqual([
      undefined,
      400,
      400,
    ]);
    expect(engine.fire('reject-batch', { text: '"visitor-7"' })).toBeUndefined();
  });

  it('applies rates with the injected random source', () => {
    const engine = new FaultEngine(parseFaultSpec('500:rate=0.5'), () => 0.7);
    expect(engine.fire('status', { path: '/x' })).toBeUndefined();
    const always = new FaultEngine(parseFaultSpec('500:rate=0.5'), () => 0.1);
    expect(always.fire('status', { path: '/x' })?.status).toBe(500);
  });
});

describe('emulator CLI flags', () => {
  it('maps flags to options and validates them', () => {
    expect(
      parseCliArgs(['--port', '8081', '--token-ttl', '5000', '--inlet-delay', '100', '--faults', 'etag-race']),
    ).toMatchObject({
      port: 8081,
      tokenTtlMs: 5000,
      inletDelayMs: 100,
      faults: 'etag-race',
    });
    expect(parseCliArgs(['--help'])).toBe('help');
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(/--port must be a non-negative integer/);
    expect(() => parseCliArgs(['--faults', 'nope'])).toThrow(/unknown kind 'nope'/);
    expect(() => parseCliArgs(['--bogus'])).toThrow();
  });
});

describe('emulator mapping', () => {
  const input = { uniqueId: 'u1', accountId: 'a', properties: { guideProperties: { name: 'G' } }, list: [{ v: 1 }] };

  it('maps attributes in both dialects, statics and expressions', () => {
    const { output, errors } = applyMappings(
      [
        { sourceAttribute: 'uniqueId', destinationXdmPath: '_t.uniqueid' },
        { source: 'properties.guideProperties.name', destination: '_t.name', sourceType: 'ATTRIBUTE' },
        { source: 'pendo', destination: '_t.origin', sourceType: 'STATIC' },
        { source: "concat(lower(accountId), '-', uniqueId)", destination: '_t.key', sourceType: 'EXPRESSION' },
        { source: 'list[0].v', destination: '_t.first' },
        { source: 'missing', destination: '_t.missing' },
      ],
      input,
    );
    expect(errors).toEqual([]);
    expect(output).toEqual({ _t: { uniqueid: 'u1', name: 'G', origin: 'pendo', key: 'a-u1', first: 1 } });
  });

  it('reports expression errors as MAPPER-3700-400', () => {
    const { errors } = applyMappings(
      [{ source: 'nosuch(uniqueId)', destination: 'x', sourceType: 'EXPRESSION' }],
      input,
    );
    expect(errors).toEqual([{ code: 'MAPPER-3700-400', message: expect.stringContaining("function 'nosuch'") }]);
    expect(() => evaluate("concat('a'", input)).toThrow();
  });

  it('requires the Pendo uniqueId mapping to produce a value', () => {
    expect(validatePendoRecord([{ source: 'uniqueId', destination: '_t.uniqueId' }], input)).toEqual([]);
    expect(
      validatePendoRecord([{ source: 'uniqueId', destination: '_t.uniqueId' }], { accountId: 'a' })[0]?.message,
    ).toContain('uniqueID: expected minLength:1, actual 0');
    expect(validatePendoRecord([{ source: 'accountId', destination: '_t.accountId' }], input)).toHaveLength(1);
  });
});

describe('emulator property filters', () => {
  const doc = { name: 'Flow A', createdAt: 100, sourceConnectionIds: ['s1', 's2'], metrics: { n: 5 } };
  it.each([
    ['name==Flow A', true],
    ['name==Flow B,Flow A', true],
    ['name!=Flow A', false],
    ['createdAt>99', true],
    ['createdAt<=99', false],
    ['sourceConnectionIds[]==s2', true],
    ['sourceConnectionIds[]==s3', false],
    ['metrics.n>=5', true],
  ])('%s → %s', (expr, expected) => {
    expect(matchesProperty(doc, expr)).toBe(expected);
  });

  it('rejects malformed filters with Flow Service codes', () => {
    expect(() => matchesProperty(doc, 'name==')).toThrow();
    expect(() => matchesProperty(doc, 'createdAt>1,2')).toThrow();
  });
});
