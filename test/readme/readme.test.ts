import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { shellBlocks } from './readme-blocks';

// The README's shell blocks, run as written, in README order, against the real demo (`pendoflow demo`).
const ROOT = resolve(__dirname, '..', '..');
const README = join(ROOT, 'README.md');
const ENV_FILE = join(ROOT, '.data', 'demo', 'env.sh');
// Upper bounds on a loaded 2-core machine, never assertions.
const DEMO_READY_MS = 150_000;
const BLOCK_MS = 150_000;
const CIPHERTEXT = ['binary/encrypted', 'Unknown encoding'];

jest.setTimeout(Math.max(DEMO_READY_MS, BLOCK_MS) + 60_000);

const blocks = shellBlocks(README);
const runnable = blocks.filter((b) => b.skip === null);
let demo: ChildProcess;
let demoOutput = '';

/**
 * The processes of the group `pgid` that still run. Zombies do not count: an orphan's exit status is never
 * collected where the container's PID 1 does not reap (tsx's esbuild helpers end up so).
 */
function groupProcesses(pgid: number): string {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .filter((l) => {
      const [, group, stat] = l.trim().split(/\s+/);
      return group === String(pgid) && !stat?.startsWith('Z');
    })
    .join('\n');
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone in the meantime.
  }
}

/** SIGTERM to the whole group (a `worker &` of the block included), then SIGKILL to what is left after 20 s. */
async function endGroup(pgid: number): Promise<void> {
  if (!groupProcesses(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  for (let waited = 0; groupProcesses(pgid) && waited < 20_000; waited += 250) await sleep(250);
  if (groupProcesses(pgid)) signalGroup(pgid, 'SIGKILL');
  while (groupProcesses(pgid)) await sleep(100);
}

/** Only env.sh says where the demo is: nothing of the test's own environment points anywhere else. */
function shellEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TEMPORAL_|PENDOFLOW_|PENDO_|AEP_)/.test(k)),
  );
}

async function runBlock(text: string): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', `source ${ENV_FILE}\n${text}`], {
    cwd: ROOT,
    env: shellEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child.pid as number, 'SIGKILL');
  }, BLOCK_MS);
  const closed = new Promise<void>((done) => child.once('close', () => done()));
  // Not 'close': a `worker &` of the block keeps its output open until the group ends.
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);
  await endGroup(child.pid as number);
  await closed;
  return { code, output, timedOut };
}

beforeAll(async () => {
  // A stale env.sh of an earlier run must not be taken for this one's.
  rmSync(ENV_FILE, { force: true });
  demo = spawn(process.execPath, [join(ROOT, 'bin', 'pendoflow.js'), 'demo'], {
    cwd: ROOT,
    env: shellEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout?.on('data', (d: Buffer) => (demoOutput += d.toString()));
  demo.stderr?.on('data', (d: Buffer) => (demoOutput += d.toString()));
  const deadline = Date.now() + DEMO_READY_MS;
  // Streaming, with the first documents of an event resource captured (the README exports them).
  while (!(
    existsSync(ENV_FILE) &&
    /pendo-demo: streaming/.test(demoOutput) &&
    /PageEvents\s+\w+\s+[1-9]/.test(demoOutput)
  )) {
    if (demo.exitCode !== null) throw new Error(`the demo exited with ${demo.exitCode}:\n${demoOutput}`);
    if (Date.now() > deadline)
      throw new Error(`the demo was not streaming within ${DEMO_READY_MS / 1000} s:\n${demoOutput}`);
    await sleep(500);
  }
});

afterAll(async () => {
  if (!demo?.pid) return;
  const pgid = demo.pid;
  if (demo.exitCode === null) {
    const exited = new Promise((done) => demo.once('exit', done));
    demo.kill('SIGINT');
    await Promise.race([exited, sleep(60_000, undefined, { ref: false })]);
  }
  const leftOver = groupProcesses(pgid);
  await endGroup(pgid);
  if (leftOver) {
    throw new Error(`the demo left processes running after SIGINT:\n${leftOver}\n${demoOutput.slice(-2000)}`);
  }
});

describe('README.md', () => {
  it('issue 9 point 2: lists the shell blocks it does not run, each with its reason', () => {
    const skipped = blocks.filter((b) => b.skip !== null);
    console.log(
      `README.md: ${blocks.length} shell blocks, ${runnable.length} run, ${skipped.length} skipped:\n` +
        skipped.map((b) => `  README.md:${b.line}: ${b.skip}`).join('\n'),
    );
    expect(runnable.length).toBeGreaterThan(0);
    for (const b of skipped) expect(b.skip?.trim()).not.toBe('');
  });

  it.each(runnable.map((b) => [b.line, b] as const))(
    'issue 9 point 2: the block at README.md:%i runs as written against the demo',
    async (line, block) => {
      const r = await runBlock(block.text);
      const shown = `README.md:${line}\n${block.text}\n--- output ---\n${r.output}`;
      if (r.timedOut) throw new Error(`the block at ${shown}\n--- did not finish within ${BLOCK_MS / 1000} s`);
      if (r.code !== 0) throw new Error(`the block at ${shown}\n--- exited with ${r.code}`);
      for (const text of CIPHERTEXT) {
        if (r.output.includes(text)) throw new Error(`the block at ${shown}\n--- printed "${text}"`);
      }
      expect(r.code).toBe(0);
    },
  );

  it('issue 9 point 2: the demo is still running after every block', () => {
    expect(demo.exitCode).toBeNull();
  });
});
