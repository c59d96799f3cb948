import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORD_ENV, type RecordedHistory } from '../helpers/record-histories';
import { HISTORIES_DIR } from './fixtures';

/** The suites whose workflows become fixtures: capture signals, bindings with continue-as-new, dataflow, pipeline. */
const SUITES = ['temporal-cli', 'metadata-capture', 'backfill-history-limit', 'dataflow', 'pipeline'];
const KEEP_PER_GROUP = 1;
const MAX_EVENTS = 1500;
const BUDGET_BYTES = 2.5 * 1024 * 1024;

const groupOf = (h: RecordedHistory) => `${h.suite}/${h.workflowType}/${h.status}`;

/** Per suite, workflow type and status, the largest histories under MAX_EVENTS: a handful of focused fixtures. */
function select(recorded: RecordedHistory[]): RecordedHistory[] {
  const groups = new Map<string, RecordedHistory[]>();
  for (const h of recorded.filter((r) => r.events <= MAX_EVENTS)) {
    groups.set(groupOf(h), [...(groups.get(groupOf(h)) ?? []), h]);
  }
  return [...groups.values()].flatMap((list) => list.sort((a, b) => b.events - a.events).slice(0, KEEP_PER_GROUP));
}

/** Runs the suites with recording on into a scratch folder. */
async function runSuites(): Promise<string> {
  const raw = await mkdtemp(join(tmpdir(), 'pendoflow-histories-'));
  const files = SUITES.map((suite) => `test/integration/${suite}.test.ts`);
  const jest = spawnSync('npx', ['jest', '--selectProjects', 'integration', '--', ...files], {
    stdio: 'inherit',
    env: { ...process.env, [RECORD_ENV]: raw },
  });
  if (jest.status !== 0) throw new Error(`the integration suites failed (exit ${jest.status}); nothing recorded`);
  return raw;
}

/**
 * Copies a selection of the recorded histories to test/replay/histories/<label>/. With `--from <dir>` it selects
 * from a folder recorded earlier (PENDOFLOW_RECORD_HISTORIES=<dir> on any integration run) instead of running.
 */
async function main(args: string[]): Promise<void> {
  const from = args[0] === '--from' ? args[1] : undefined;
  const label = (from ? args[2] : args[0]) ?? `${new Date().toISOString().slice(0, 10)}-${gitHead()}`;
  const raw = from ?? (await runSuites());
  const recorded: RecordedHistory[] = [];
  for (const suite of await readdir(raw)) {
    for (const index of (await readdir(join(raw, suite))).filter((f) => f.startsWith('index-'))) {
      recorded.push(...(JSON.parse(await readFile(join(raw, suite, index), 'utf8')) as RecordedHistory[]));
    }
  }
  const out = join(HISTORIES_DIR, label);
  const kept: RecordedHistory[] = [];
  let bytes = 0;
  for (const h of select(recorded)) {
    const text = await readFile(join(raw, h.suite, h.file), 'utf8');
    if (text.includes('binary/encrypted')) throw new Error(`${h.suite}/${h.file}: sealed payloads; record unencrypted`);
    await mkdir(join(out, h.suite), { recursive: true });
    await writeFile(join(out, h.suite, h.file), text);
    bytes += (await stat(join(out, h.suite, h.file))).size;
    kept.push({ ...h, file: `${h.suite}/${h.file}` });
  }
  if (bytes > BUDGET_BYTES) throw new Error(`${out}: ${bytes} bytes of fixtures, over the ${BUDGET_BYTES} budget`);
  await writeFile(join(out, 'index.json'), `${JSON.stringify(kept, null, 2)}\n`);
  if (!from) await rm(raw, { recursive: true, force: true });
  console.log(`recorded ${kept.length} of ${recorded.length} histories (${Math.round(bytes / 1024)} KiB) in ${out}`);
}

function gitHead(): string {
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'unknown';
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
