import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freePort } from './temporal-dev-server';

const ROOT = join(__dirname, '..', '..');

export interface PostgresServer {
  /** postgres://pendoflow:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  process: ChildProcess;
  /** A URL for a new, empty database on this server. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The folder of initdb and postgres: PENDOFLOW_POSTGRES_BIN, the one scripts/setup recorded in
 * .tools/postgres-bin, Debian's newest /usr/lib/postgresql/<version>/bin, or one on PATH.
 */
export function postgresBinDir(): string {
  const how = "run scripts/setup (it installs Debian's postgresql with apt-get), or apt-get install -y postgresql";
  const fromEnv = process.env.PENDOFLOW_POSTGRES_BIN;
  if (fromEnv) {
    if (existsSync(join(fromEnv, 'initdb'))) return fromEnv;
    throw new Error(
      `PENDOFLOW_POSTGRES_BIN=${fromEnv} holds no initdb: point it at PostgreSQL's bin folder, or ${how}`,
    );
  }
  const candidates: string[] = [];
  const recorded = join(ROOT, '.tools', 'postgres-bin');
  if (existsSync(recorded)) candidates.push(readFileSync(recorded, 'utf8').trim());
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) candidates.push(dir);
  for (const dir of candidates) if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  throw new Error(`no PostgreSQL server binaries (initdb, postgres) for the store tests: ${how}`);
}

/**
 * PostgreSQL refuses to run as root. As root, the server runs as the `postgres` user (Debian's package makes it),
 * else as `nobody` (through setpriv); its folder is chowned to that user.
 */
function runAs(): { user: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
      return { user, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root with neither a postgres nor a nobody user to run PostgreSQL as');
}

/** setpriv execs the program itself, so signals reach the server (runuser would stay between, as a parent). */
function command(as: ReturnType<typeof runAs>, bin: string, args: string[]): [string, string[]] {
  if (!as) return [bin, args];
  return ['setpriv', [`--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', '--', bin, ...args]];
}

/**
 * Starts a throwaway PostgreSQL server on a free loopback port in a temporary folder, with password
 * authentication; `durable: false` (the tests' choice) turns off fsync. `stop()` ends it and removes the folder.
 */
export async function startPostgres(
  opts: { durable?: boolean; startTimeoutMs?: number } = {},
): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const as = runAs();
  const root = mkdtempSync(join(tmpdir(), 'pendoflow-pg-'));
  const data = join(root, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(root, 'pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (as) {
    chownSync(root, as.uid, as.gid);
    chownSync(pwfile, as.uid, as.gid);
  }
  const initArgs = ['-D', data, '-U', 'pendoflow', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8'];
  const [initCmd, initFull] = command(as, join(bin, 'initdb'), [...initArgs, '--no-instructions', '--no-sync']);
  try {
    execFileSync(initCmd, initFull, { stdio: 'pipe' });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr.trim() || (err as Error).message}`);
  }
  rmSync(pwfile);
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${root}`, 'max_connections=200'];
  if (!opts.durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const args = ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
  const [cmd, full] = command(as, join(bin, 'postgres'), args);
  const child = spawn(cmd, full, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `postgres://pendoflow:${password}@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGINT is PostgreSQL's fast shutdown: it ends sessions and exits without waiting for clients.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  for (;;) {
    const probe = new Client({ connectionString: url });
    try {
      await probe.connect();
      await probe.end();
      break;
    } catch (err) {
      await probe.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`PostgreSQL did not start on port ${port}: ${(err as Error).message}\n${stderr}`);
      }
      await sleep(100);
    }
  }
  return {
    url,
    port,
    process: child,
    stop,
    async createDatabase(name: string) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`'${name}' is not a plain database name`);
      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url.replace(/\/postgres$/, `/${name}`);
    },
  };
}
