import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ImsTokenCache, ImsTokenProvider } from '../../../src/aep';

const servers: Server[] = [];
async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

test('issue 8 finding 2: an IMS redirect is not followed, so the client secret never reaches the other host', async () => {
  let elsewhere = 0;
  const other = await listen((_req, res) => {
    elsewhere += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"t","expires_in":86399}');
  });
  const ims = await listen((_req, res) => res.writeHead(307, { location: `${other}/ims/token/v3` }).end());
  const tokens = new ImsTokenProvider(
    { imsUrl: ims, platformUrl: ims, orgId: 'O@AdobeOrg', clientId: 'c', clientSecret: 's3cret', sandbox: 'prod' },
    { cache: new ImsTokenCache() },
  );
  await expect(tokens.getToken()).rejects.toThrow();
  expect(elsewhere).toBe(0);
});
