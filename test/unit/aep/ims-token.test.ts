import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AepHttp, ImsTokenCache, ImsTokenProvider, type AepClientConfig } from '../../../src/aep';

/** A stub IMS + platform that counts calls, to pin the cache and refresh rules down exactly. */
describe('ImsTokenProvider', () => {
  let server: Server;
  let config: AepClientConfig;
  let issued = 0;
  let rejectNext = 0;
  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ims/token/v3') {
        issued += 1;
        const n = issued;
        void delay(20).then(() => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ access_token: `tok-${n}`, token_type: 'bearer', expires_in: 3600 }));
        });
        return;
      }
      const ok = rejectNext === 0;
      if (!ok) rejectNext -= 1;
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          ok ? { auth: req.headers.authorization } : { error_code: '401013', message: 'Oauth token is not valid' },
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    config = { imsUrl: url, platformUrl: url, orgId: 'O@AdobeOrg', clientId: 'c', clientSecret: 's', sandbox: 'prod' };
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    issued = 0;
    rejectNext = 0;
  });

  it('shares one token request among concurrent callers and caches it', async () => {
    const tokens = new ImsTokenProvider(config, { cache: new ImsTokenCache() });
    const got = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(got).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(await tokens.getToken()).toBe('tok-1');
    expect(issued).toBe(1);
  });

  it('shares the cache between providers of the same credential only', async () => {
    const cache = new ImsTokenCache();
    await new ImsTokenProvider(config, { cache }).getToken();
    expect(await new ImsTokenProvider(config, { cache }).getToken()).toBe('tok-1');
    expect(await new ImsTokenProvider({ ...config, clientId: 'other' }, { cache }).getToken()).toBe('tok-2');
  });

  it('refreshes once the refresh time (expiry minus margin) has passed', async () => {
    let now = 0;
    const tokens = new ImsTokenProvider(config, {
      cache: new ImsTokenCache(),
      now: () => now,
      refreshMarginMs: 60_000,
    });
    expect(await tokens.getToken()).toBe('tok-1');
    now = 3_600_000 - 60_001;
    expect(await tokens.getToken()).toBe('tok-1');
    now = 3_600_000 - 60_000;
    expect(await tokens.getToken()).toBe('tok-2');
  });

  it('retries a 401 exactly once with a fresh token', async () => {
    const tokens = new ImsTokenProvider(config, { cache: new ImsTokenCache() });
    const http = new AepHttp(config, tokens);
    rejectNext = 1;
    const res = await http.send<{ auth: string }>({ method: 'GET', path: '/x', operation: 'test GET /x' });
    expect(res.data.auth).toBe('Bearer tok-2');
    expect(issued).toBe(2);

    rejectNext = 5;
    await expect(http.send({ method: 'GET', path: '/x', operation: 'test GET /x' })).rejects.toMatchObject({
      type: 'AepAuthError',
      code: '401013',
    });
    expect(issued).toBe(3);
    expect(rejectNext).toBe(3);
  });

  it('ignores invalidation of a token that is no longer cached', async () => {
    const tokens = new ImsTokenProvider(config, { cache: new ImsTokenCache() });
    await tokens.getToken();
    tokens.invalidate('some-older-token');
    expect(await tokens.getToken()).toBe('tok-1');
    tokens.invalidate('tok-1');
    expect(await tokens.getToken()).toBe('tok-2');
  });
});
