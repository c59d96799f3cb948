import { parseExpression } from '../../../emulators/pendo/aggregation/filter-parser';
import { compileFilter } from '../../../emulators/pendo/aggregation/filter-eval';
import { evaluate } from '../../../emulators/pendo/aggregation/expressions';
import { AggregationError, FILTER_PARSE_ERROR } from '../../../emulators/pendo/aggregation/errors';

const env = { now: 1_724_760_000_000, timezone: 'America/New_York' };
const row = {
  visitorId: 'o"brien\\x',
  accountId: 'acme-corp',
  accountIds: ['acme-corp', 'globex'],
  lastTime: 1_724_760_312_456,
  hour: 1_724_760_000_000,
  numEvents: 3,
  type: 'guideSeen',
  metadata: { auto: { lastupdated: 5 } },
  empty: null,
};
const test = (src: string): boolean => compileFilter(src, env)(row);

describe('filter parsing', () => {
  it('binds && tighter than || and comparisons tighter than &&', () => {
    expect(parseExpression('a == 1 || b == 2 && c == 3')).toEqual({
      kind: 'binary',
      op: '||',
      left: { kind: 'binary', op: '==', left: { kind: 'path', path: ['a'] }, right: { kind: 'lit', value: 1 } },
      right: {
        kind: 'binary',
        op: '&&',
        left: { kind: 'binary', op: '==', left: { kind: 'path', path: ['b'] }, right: { kind: 'lit', value: 2 } },
        right: { kind: 'binary', op: '==', left: { kind: 'path', path: ['c'] }, right: { kind: 'lit', value: 3 } },
      },
    });
    expect(parseExpression('1 + 2 * 3 < 8')).toMatchObject({ op: '<', left: { op: '+', right: { op: '*' } } });
  });

  it('reads escaped double quotes and backslashes, and backtick strings verbatim', () => {
    expect(parseExpression('visitorId == "o\\"brien\\\\x"')).toMatchObject({ right: { value: 'o"brien\\x' } });
    expect(parseExpression('id==`a"b\\c`')).toMatchObject({ right: { value: 'a"b\\c' } });
  });

  it('needs no spaces', () => {
    expect(parseExpression('day>=1600000000000&&visitorId>""')).toEqual(
      parseExpression('day >= 1600000000000 && visitorId > ""'),
    );
  });

  it.each([
    'visitorId == "a"b"',
    'visitorId == "unterminated',
    'visitorId = "x"',
    'a &',
    '(a == 1',
    'a == 1)',
    'unknownFn(a)',
    'contains(a)',
    '',
    "a == 'single'",
    'a == "bad \\q escape"',
  ])('rejects %j with the Pendo 400 body', (src) => {
    let err: unknown;
    try {
      parseExpression(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AggregationError);
    expect(err).toMatchObject({ status: 400, body: FILTER_PARSE_ERROR });
  });
});

describe('filter evaluation', () => {
  it('compares numbers numerically and strings by code unit', () => {
    expect(test('lastTime >= 1724760000000 && lastTime < 1724763600000')).toBe(true);
    expect(test('numEvents > 10')).toBe(false);
    expect(test('accountId > "Zebra"')).toBe(true); // lower-case sorts after upper-case
    expect(test('accountId < "acme-corq"')).toBe(true);
  });

  it('matches ids that needed escaping', () => {
    expect(test('visitorId == "o\\"brien\\\\x"')).toBe(true);
    expect(test('visitorId == `o"brien\\x`')).toBe(true);
    expect(test('visitorId != "o\\"brien\\\\x"')).toBe(false);
  });

  it('supports !, parentheses, dotted paths and functions', () => {
    expect(test('!(numEvents == 3) || metadata.auto.lastupdated == 5')).toBe(true);
    expect(test('!(numEvents == 3) || metadata.auto.lastupdated == 6')).toBe(false);
    expect(test('contains(accountIds, "globex") && contains(visitorId, "brien")')).toBe(true);
    expect(test('startsWith(accountId, "acme") && !startsWith(visitorId, "_PENDO_T_")')).toBe(true);
    expect(test('isNull(empty) && isNull(missing.field) && !isNull(accountId)')).toBe(true);
    expect(test('eventSubType(type) == "guideSeen"')).toBe(true);
    expect(test('hour <= now() && hour > now() - 60*60*1000')).toBe(true);
  });

  it('orders null and missing values before numbers and numbers before strings', () => {
    expect(test('missing < 0')).toBe(true);
    expect(test('numEvents < ""')).toBe(true);
    expect(test('missing == null && empty == missing')).toBe(true);
  });

  it('evaluates arithmetic', () => {
    expect(evaluate(parseExpression('(numEvents + 1) * 2 % 5'), row, env)).toBe(3);
    expect(evaluate(parseExpression('-numEvents'), row, env)).toBe(-3);
  });
});
