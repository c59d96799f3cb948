import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Cleanup } from './cleanup';
import { RssSampler } from './proc-stats';

const ROOT = join(__dirname, '..', '..');

/** What bench/raw-loop.ts reads: the windows of one PageEvents range, read in order. */
export interface RawLoopInput {
  baseUrl: string;
  dataDir: string;
  fromMs: number;
  toMs: number;
  windowHours: number;
  limit: number;
  requestTimeoutMs: number;
}

/** What bench/raw-loop.ts prints as its last line. */
export interface RawLoopResult {
  rows: number;
  pages: number;
  windows: number;
  seconds: number;
  cpuSeconds: number;
  /** The process's own peak RSS (getrusage ru_maxrss). */
  maxRssMb: number;
}

/** Runs bench/raw-loop.ts as a child process and samples its RSS from outside as well. */
export async function runRawLoop(
  input: RawLoopInput,
  env: Record<string, string>,
  cleanup: Cleanup,
): Promise<RawLoopResult & { sampledRssMb: number }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'bench', 'raw-loop.ts')], {
    env: { ...process.env, ...env, RAW_LOOP_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.add('raw loop', async () => void child.kill('SIGKILL'));
  const sampler = new RssSampler(child.pid as number);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  const { maxRssMb: sampledRssMb } = sampler.stop();
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0) throw new Error(`raw loop exited with ${code}:\n${stderr}${stdout}`);
  return { ...(JSON.parse(last) as RawLoopResult), sampledRssMb };
}
