import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCliArgs } from '../../../emulators/aep/cli';
import type { AepEmulatorOptions } from '../../../emulators/aep';
import { pendoEvent, provisionPendo, startHarness, type Harness } from './fixtures';

const dirs: string[] = [];
const open: Harness[] = [];
afterAll(async () => {
  for (const h of open) await h.emu.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pendoflow-aep-state-'));
  dirs.push(dir);
  return dir;
}

async function start(opts: AepEmulatorOptions): Promise<Harness> {
  const h = await startHarness(opts);
  open.push(h);
  return h;
}

/** Creates one of every entity and sends records; returns what the inspection API and Flow Service show. */
async function populate(h: Harness) {
  const p = await provisionPendo(h.clients, 'keep');
  const base = await h.clients.flowService.create('connections', {
    name: 'kept account',
    connectionSpec: { id: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', version: '1.0' },
    auth: { specName: 'Streaming Connection', params: { dataType: 'raw', name: 'kept account' } },
  });
  // A patched flow: its etag is no longer the one creation returned.
  const patched = await h.clients.flowService.patch(
    'flows',
    p.flowId,
    [{ op: 'replace', path: '/description', value: 'patched before the restart' }],
    p.flowEtag,
  );
  const inletUrl = (await h.clients.flowService.getInletUrl(p.flowId))!;
  await h.clients.inlet.sendBatch(inletUrl, p.flowId, [pendoEvent('a'), pendoEvent('b'), pendoEvent('c')]);
  return { p, baseId: base.id, flowEtag: patched.etag, inletUrl };
}

async function view(h: Harness, flowId: string) {
  return {
    resources: await h.inspector.resources(),
    counts: await h.inspector.counts(),
    records: await h.inspector.records(flowId),
    runs: (await h.clients.flowService.listRuns(flowId)).map((r) => ({ id: r.id, etag: r.etag })),
  };
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('AEP emulator state across restarts', () => {
  it('issue 8 finding 7: a restart on the same data dir keeps every entity, id, etag and inlet record', async () => {
    const dir = tempDir();
    const first = await start({ dataDir: dir });
    const { p, baseId, flowEtag, inletUrl } = await populate(first);
    const before = await view(first, p.flowId);
    await first.emu.close();

    const second = await start({ dataDir: dir });
    const after = await view(second, p.flowId);
    console.log(
      `AEP emulator restart on a data dir: ${total(after.counts)} of ${total(before.counts)} entities and ` +
        `${after.records.length} of ${before.records.length} inlet records survived`,
    );
    expect(after.resources).toEqual(before.resources);
    expect(after.records).toEqual(before.records);
    expect(after.runs).toEqual(before.runs);
    expect(after.resources.map((r) => r.id)).toContain(baseId);
    expect(before.records).toHaveLength(3);

    // The etag from before the restart still matches, and the inlet (same id, new port) still takes data.
    const flow = await second.clients.flowService.patch(
      'flows',
      p.flowId,
      [{ op: 'replace', path: '/description', value: 'patched after the restart' }],
      flowEtag,
    );
    expect(flow.id).toBe(p.flowId);
    const newInlet = (await second.clients.flowService.getInletUrl(p.flowId))!;
    expect(newInlet.split('/').pop()).toBe(inletUrl.split('/').pop());
    await second.clients.inlet.sendBatch(newInlet, p.flowId, [pendoEvent('d')]);
    await second.emu.close();

    const third = await start({ dataDir: dir });
    expect((await third.inspector.records(p.flowId)).map((r) => (r.input as { uniqueId: string }).uniqueId)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    await third.emu.close();
  });

  it('issue 8 finding 7: --in-memory keeps the old behaviour, and the CLI defaults to a folder in the data dir', async () => {
    const memory = parseCliArgs(['--in-memory']) as AepEmulatorOptions;
    expect(memory.dataDir).toBeUndefined();
    expect((parseCliArgs([], { PENDOFLOW_DATA_DIR: '/srv/pendoflow' }) as AepEmulatorOptions).dataDir).toBe(
      join('/srv/pendoflow', 'aep-emulator'),
    );
    expect((parseCliArgs(['--data-dir', '/tmp/aep'], {}) as AepEmulatorOptions).dataDir).toBe('/tmp/aep');
    expect(() => parseCliArgs(['--in-memory', '--data-dir', '/tmp/aep'])).toThrow(/exclude each other/);

    const first = await start(memory);
    const { p } = await populate(first);
    expect(total(await first.inspector.counts())).toBeGreaterThan(0);
    await first.emu.close();
    const second = await start(memory);
    expect(total(await second.inspector.counts())).toBe(0);
    expect(await second.inspector.records(p.flowId)).toEqual([]);
    await second.emu.close();
  });

  it('issue 8 finding 7: inlet records are appended, the snapshot is only replaced when an entity changes, and a torn last line is dropped', async () => {
    const dir = tempDir();
    const h = await start({ dataDir: dir });
    const { p, inletUrl } = await populate(h);
    const records = join(dir, 'records.jsonl');
    const state = join(dir, 'state.json');
    const logBefore = readFileSync(records, 'utf8');
    const snapshotInode = statSync(state).ino;
    await h.clients.inlet.sendBatch(inletUrl, p.flowId, [pendoEvent('e')]);
    const logAfter = readFileSync(records, 'utf8');
    expect(logAfter.startsWith(logBefore)).toBe(true);
    expect(logAfter.slice(logBefore.length).trim().split('\n')).toHaveLength(1);
    // A record in an hour whose run window exists changes no entity, so the snapshot file was not rewritten.
    const hours = (await h.inspector.records(p.flowId)).map((r) => Math.floor(r.receivedTimeMs / 3_600_000));
    if (hours.at(-1) === hours.at(-2)) expect(statSync(state).ino).toBe(snapshotInode);
    await h.emu.close();

    appendFileSync(records, '{"sandbox":"prod","record":{"flowId');
    const again = await start({ dataDir: dir });
    expect(await again.inspector.records(p.flowId)).toHaveLength(4);
    await again.inspector.reset();
    expect(readFileSync(records, 'utf8')).toBe('');
    await again.emu.close();
    const afterReset = await start({ dataDir: dir });
    expect(total(await afterReset.inspector.counts())).toBe(0);
    await afterReset.emu.close();
  });
});
