import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(__dirname, '../..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; os?: string[]; cpu?: string[] }>;
};

/** Copies package.json and the lock into a scratch folder, where npm may do as it likes. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pendoflow-lock-'));
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(root, file), join(dir, file));
  return dir;
}

const npm = (dir: string, args: string[]) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8' });

describe('install is reproducible', () => {
  it('npm ci accepts the committed lock as it is', () => {
    const dir = scratchCopy();
    try {
      const run = npm(dir, ['ci', '--dry-run', '--ignore-scripts']);
      expect(run.stderr).not.toMatch(/can only install packages when your package.json and package-lock.json/);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolving the lock again changes nothing in it', () => {
    const dir = scratchCopy();
    try {
      const run = npm(dir, ['install', '--package-lock-only', '--ignore-scripts']);
      expect(run.status).toBe(0);
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(
        readFileSync(join(root, 'package-lock.json'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.each(['@swc/core', '@esbuild'])('the lock keeps the macOS and arm64 Linux binaries of %s', (scope) => {
    const platforms = Object.values(lock.packages)
      .filter((_, i) => Object.keys(lock.packages)[i]!.startsWith(`node_modules/${scope}`))
      .flatMap((p) => (p.os ?? []).flatMap((os) => (p.cpu ?? []).map((cpu) => `${os}-${cpu}`)));
    expect(platforms).toEqual(expect.arrayContaining(['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64']));
  });

  it('setup on a fresh clone installs with npm ci and leaves git status clean', () => {
    // A clone of HEAD, so npm ci runs for real without touching this checkout's node_modules.
    const dir = mkdtempSync(join(tmpdir(), 'pendoflow-clone-'));
    try {
      execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, dir]);
      const temporalDir = dirname(readFileSync(join(root, '.tools/temporal-path'), 'utf8').trim());
      // The test server this checkout's setup installed, so the clone's setup need not fetch it again.
      const testServer = readFileSync(join(root, '.tools/test-server-path'), 'utf8').trim();
      const log = execFileSync('bash', ['scripts/setup'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${temporalDir}:${process.env.PATH ?? ''}`, PENDOFLOW_TEST_SERVER: testServer },
      });
      expect(log).toMatch(/installing npm dependencies \(npm ci\)/);
      expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
