import {
  AEP_NON_RETRYABLE_ERROR_TYPES,
  AepError,
  AepErrorTypes,
  classifyHttpError,
  classifyNetworkError,
  extractAdobeError,
  redact,
} from '../../../src/aep';
import { parseRetryAfter } from '../../../src/config/durations';

const flow = (code: number, status: number, detail = 'details') => ({
  type: `https://ns.adobe.com/aep/errors/FLOW-${code}-${status}`,
  title: 'Invalid request',
  status,
  report: { 'detailed-message': detail },
});
const xdm = (code: number, status: number) => ({
  type: `http://ns.adobe.com/aep/errors/XDM-${code}-${status}`,
  title: 't',
  status,
  detail: 'xdm detail',
});
const gateway = (code: string) => ({ error_code: code, message: 'gateway says no' });

describe('classifyHttpError (spec §9.1)', () => {
  const op = 'Flow Service POST /flows';
  it.each([
    // status, body, type, retryable, code
    [429, gateway('429050'), AepErrorTypes.RateLimited, true, '429050'],
    [500, flow(1102, 500), AepErrorTypes.Unavailable, true, 'FLOW-1102-500'],
    [502, '<html>bad gateway</html>', AepErrorTypes.Unavailable, true, undefined],
    [503, flow(1103, 503), AepErrorTypes.Unavailable, true, 'FLOW-1103-503'],
    [504, flow(1104, 504), AepErrorTypes.Unavailable, true, 'FLOW-1104-504'],
    [500, flow(2200, 500), AepErrorTypes.Unavailable, true, 'FLOW-2200-500'],
    [401, gateway('401013'), AepErrorTypes.Auth, false, '401013'],
    [400, flow(2114, 400), AepErrorTypes.Auth, false, 'FLOW-2114-400'],
    [400, gateway('400003'), AepErrorTypes.Config, false, '400003'],
    [403, gateway('403000'), AepErrorTypes.Permission, false, '403000'],
    [403, gateway('403025'), AepErrorTypes.Permission, false, '403025'],
    [401, flow(2001, 401), AepErrorTypes.Config, false, 'FLOW-2001-401'],
    [400, flow(2105, 400), AepErrorTypes.Config, false, 'FLOW-2105-400'],
    [404, flow(2100, 404), AepErrorTypes.Config, false, 'FLOW-2100-404'],
    [403, flow(2120, 403), AepErrorTypes.Permission, false, 'FLOW-2120-403'],
    [400, flow(1425, 400), AepErrorTypes.Validation, false, 'FLOW-1425-400'],
    [400, flow(1455, 400), AepErrorTypes.Validation, false, 'FLOW-1455-400'],
    [400, xdm(1006, 400), AepErrorTypes.Validation, false, 'XDM-1006-400'],
    [400, flow(1422, 400), AepErrorTypes.InvalidState, true, 'FLOW-1422-400'],
    [400, flow(1458, 400), AepErrorTypes.InvalidState, true, 'FLOW-1458-400'],
    [400, flow(1418, 400), AepErrorTypes.InUse, false, 'FLOW-1418-400'],
    [400, flow(1447, 400), AepErrorTypes.InUse, false, 'FLOW-1447-400'],
    [400, xdm(1521, 400), AepErrorTypes.Conflict, false, 'XDM-1521-400'],
    [404, flow(1439, 404), AepErrorTypes.NotFound, false, 'FLOW-1439-404'],
    [404, xdm(1012, 404), AepErrorTypes.NotFound, false, 'XDM-1012-404'],
    [
      406,
      { type: '/placeholder/type/uri', status: 406, title: 'NotAcceptableError' },
      AepErrorTypes.NotAcceptable,
      false,
      undefined,
    ],
    [412, flow(1404, 412), AepErrorTypes.PreconditionFailed, true, 'FLOW-1404-412'],
    [413, { status: 413, report: { message: 'too big' } }, AepErrorTypes.PayloadTooLarge, false, undefined],
    [501, { title: 'Not Implemented' }, AepErrorTypes.Validation, false, undefined],
  ])('HTTP %i %j → %s', (status, body, type, retryable, code) => {
    const info = classifyHttpError({ operation: op, status, body });
    expect(info).toMatchObject({ type, retryable, status, operation: op });
    expect(info.code).toBe(code);
    expect(info.message).toContain(`${op} failed with HTTP ${status}`);
    if (code) expect(info.message).toContain(code);
  });

  it('says what to do, and quotes the Adobe detail', () => {
    const info = classifyHttpError({ operation: op, status: 412, body: flow(1404, 412, 'Version not matching') });
    expect(info.message).toContain('Version not matching');
    expect(info.message).toContain('re-read it for the current etag');
  });

  it('treats every IMS 4xx as a credentials problem and 5xx/429 as transient', () => {
    const ims = 'IMS POST /ims/token/v3';
    const body = { error: 'invalid_client', error_description: 'invalid client_id parameter' };
    expect(classifyHttpError({ operation: ims, status: 400, body })).toMatchObject({
      type: 'AepAuthError',
      code: 'invalid_client',
      retryable: false,
    });
    expect(classifyHttpError({ operation: ims, status: 503, body: {} }).retryable).toBe(true);
    expect(classifyHttpError({ operation: ims, status: 429, body: {} }).type).toBe('AepRateLimited');
  });

  it('honours Retry-After in seconds and as a date; state errors wait at least 30 s', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(classifyHttpError({ operation: op, status: 429, body: {}, retryAfter: '3' }, now).retryAfterMs).toBe(3000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(classifyHttpError({ operation: op, status: 503, body: {} }).retryAfterMs).toBeUndefined();
    expect(classifyHttpError({ operation: op, status: 400, body: flow(1420, 400) }).retryAfterMs).toBe(30_000);
  });

  it('reads code and detail from every envelope shape', () => {
    expect(extractAdobeError(xdm(1521, 400))).toEqual({ code: 'XDM-1521-400', detail: 'xdm detail' });
    expect(extractAdobeError(gateway('403003'))).toEqual({ code: '403003', detail: 'gateway says no' });
    expect(
      extractAdobeError({
        type: 'https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization',
        status: '401',
        title: 'Authorization',
        report: { message: '[id] Ims service token is empty' },
      }),
    ).toEqual({ code: undefined, detail: '[id] Ims service token is empty' });
    expect(extractAdobeError(undefined)).toEqual({ code: undefined, detail: undefined });
  });
});

describe('classifyNetworkError', () => {
  it('makes timeouts and connection failures transient, cancellation permanent', () => {
    expect(classifyNetworkError('x', { code: 'ECONNABORTED', message: 'timeout of 5000ms exceeded' })).toMatchObject({
      type: 'AepNetworkError',
      retryable: true,
    });
    expect(classifyNetworkError('x', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).message).toContain(
      'ECONNREFUSED',
    );
    expect(classifyNetworkError('x', { name: 'CanceledError', code: 'ERR_CANCELED' })).toMatchObject({
      type: 'AepCancelled',
      retryable: false,
    });
  });

  it('never reads request config (where the token lives)', () => {
    const err = {
      code: 'ECONNRESET',
      message: 'socket hang up',
      config: { headers: { Authorization: 'Bearer SECRET-TOKEN' } },
    };
    expect(JSON.stringify(classifyNetworkError('x', err))).not.toContain('SECRET-TOKEN');
  });
});

describe('AepError and the type registry', () => {
  it('uses the type as Error.name so Temporal reports it as the failure type', () => {
    const err = new AepError(classifyHttpError({ operation: 'op', status: 404, body: flow(1439, 404) }));
    expect(err.name).toBe('AepNotFound');
    expect(err).toBeInstanceOf(Error);
    expect(err.toJSON()).toMatchObject({ type: 'AepNotFound', code: 'FLOW-1439-404', retryable: false });
  });

  it('lists exactly the non-retryable types, all of them registered', () => {
    const all = Object.values(AepErrorTypes);
    expect(AEP_NON_RETRYABLE_ERROR_TYPES.every((t) => all.includes(t))).toBe(true);
    expect(AEP_NON_RETRYABLE_ERROR_TYPES).not.toContain('AepUnavailable');
    expect(AEP_NON_RETRYABLE_ERROR_TYPES).not.toContain('AepPreconditionFailed');
    expect(AEP_NON_RETRYABLE_ERROR_TYPES).toContain('AepValidation');
  });

  it('redacts secrets', () => {
    expect(redact('token abcdef and abcdef', ['abcdef', undefined])).toBe('token *** and ***');
  });
});
