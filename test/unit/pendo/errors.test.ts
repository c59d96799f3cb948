import { parseRetryAfter } from '../../../src/config/durations';
import { classifyHttpFailure, classifyTransportFailure } from '../../../src/pendo/errors';

const req = 'POST /api/v1/aggregation';

describe('Pendo error classification', () => {
  it.each([
    [401, '', 'PendoAuthError', false],
    [403, '{"message":"bad key"}', 'PendoAuthError', false],
    [400, 'key belongs to region eu', 'PendoWrongRegion', false],
    [400, 'Cannot parse filter expression', 'PendoBadRequest', false],
    [404, '', 'PendoBadRequest', false],
    [429, '', 'PendoRateLimited', true],
    [500, 'Aggregation too large: 9 rows exceed the budget of 5', 'PendoTooLarge', true],
    [502, 'bad gateway', 'PendoUnavailable', true],
    [503, '', 'PendoUnavailable', true],
  ])('HTTP %i %j is %s (retryable: %s)', (status, body, type, retryable) => {
    const e = classifyHttpFailure({ status, body, request: req });
    expect(e.type).toBe(type);
    expect(e.retryable).toBe(retryable);
    expect(e.message).toContain(req);
  });

  it('tells a person what to do about a bad key and a wrong region', () => {
    expect(classifyHttpFailure({ status: 403, body: '', request: req }).message).toMatch(
      /credentials\.access_token.*Integration Keys/,
    );
    expect(classifyHttpFailure({ status: 400, body: '', request: req }).message).toMatch(
      /another region.*\.eu uses https:\/\/app\.eu\.pendo\.io/,
    );
  });

  it('honours Retry-After in seconds or as a date', () => {
    expect(classifyHttpFailure({ status: 429, body: '', request: req, retryAfter: '3' }).retryAfterMs).toBe(3000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', Date.parse('2026-11-24T10:00:00Z'))).toBe(5000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('classifies resets and timeouts as transient', () => {
    expect(
      classifyTransportFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), req).type,
    ).toBe('PendoUnavailable');
    expect(classifyTransportFailure(new Error('aborted'), req).type).toBe('PendoUnavailable');
    expect(
      classifyTransportFailure(Object.assign(new Error('timeout of 5ms exceeded'), { code: 'ECONNABORTED' }), req).type,
    ).toBe('PendoTimeout');
    const truncated = Object.assign(new Error('ended early'), { name: 'TruncatedJsonError' });
    expect(classifyTransportFailure(truncated, req)).toMatchObject({ type: 'PendoBadResponse', retryable: true });
  });
});
