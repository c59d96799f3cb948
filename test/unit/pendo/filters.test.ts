import { filterLiteral, keysetAfter, quoteFilterString } from '../../../src/pendo/filters';

describe('filter escaping', () => {
  it('escapes backslashes before quotes, so ids with both survive', () => {
    expect(quoteFilterString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteFilterString('\\"')).toBe('"\\\\\\""');
  });

  it('writes numbers as they are and refuses objects', () => {
    expect(filterLiteral(1724716800000)).toBe('1724716800000');
    expect(() => filterLiteral({})).toThrow(/cannot use/);
  });
});

describe('keysetAfter', () => {
  it('builds the lexicographic "strictly after" condition over every key field', () => {
    expect(keysetAfter(['hour', 'pageId', 'visitorId'], [10, 'p"1', 'v'])).toBe(
      '(hour > 10) || (hour == 10 && pageId > "p\\"1") || (hour == 10 && pageId == "p\\"1" && visitorId > "v")',
    );
  });

  it('treats a missing value as sorting before every value', () => {
    expect(keysetAfter(['a', 'b'], ['x', null])).toBe('(a > "x") || (a == "x" && !isNull(b))');
  });
});
