import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** A client certificate and key per common name. */
  clients: Record<string, { cert: string; key: string }>;
}

/** A CA, a server certificate for `serverName` (and 127.0.0.1) and client certificates, made by openssl in `dir`. */
export function makeTestPki(dir: string, serverName: string, clientNames: string[]): TestPki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=pendoflow test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const issue = (name: string, cn: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n${ext}\n`);
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
    return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  };
  const server = issue(
    'server',
    serverName,
    `subjectAltName=DNS:${serverName},IP:127.0.0.1\nextendedKeyUsage=serverAuth`,
  );
  const clients = Object.fromEntries(
    clientNames.map((cn, i) => [cn, issue(`client${i}`, cn, 'extendedKeyUsage=clientAuth')]),
  );
  return { caCert: join(dir, 'ca.pem'), serverCert: server.cert, serverKey: server.key, clients };
}

export interface TlsProxy {
  address: string;
  /** The common name of each client certificate that opened a connection. */
  accepted: string[];
  /** Why each refused handshake failed. */
  refused: string[];
  close(): Promise<void>;
}

/** Terminates TLS, requiring a client certificate signed by the CA, and pipes each connection to `target`. */
export async function startTlsProxy(pki: TestPki, target: string): Promise<TlsProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const accepted: string[] = [];
  const refused: string[] = [];
  const open = new Set<Socket>();
  const server = createServer(
    {
      key: readFileSync(pki.serverKey),
      cert: readFileSync(pki.serverCert),
      ca: readFileSync(pki.caCert),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      accepted.push(String(socket.getPeerCertificate().subject?.CN));
      const upstream = connect(port, host);
      for (const s of [socket, upstream]) {
        open.add(s);
        s.once('close', () => open.delete(s));
      }
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    },
  );
  server.on('tlsClientError', (err) => refused.push(err.message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${proxyPort}`,
    accepted,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
