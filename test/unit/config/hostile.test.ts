import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, parseCaptures } from '../../../src/config/load';
import { MAX_NAME_LENGTH } from '../../../src/workflows/common/names';
import { ReconfigureArgsSchema } from '../../../src/workflows/capture/reconfigure-schema';
import { describeIssues } from '../../../src/workflows/common/validate';

const NOW = Date.parse('2026-11-24T10:30:00Z');
const endpoint = (extra: object = {}) => ({ credentials: { access_token: 'env:PENDO_K' }, ...extra });
const native = (o: object) => ({ name: 'demo', endpoint: endpoint(), bindings: [{ resource: 'Page' }], ...o });
const estuary = (name: string, o: object = {}) => ({
  captures: { [name]: { endpoint: { connector: { config: endpoint() } }, bindings: [{ resource: 'Page' }], ...o } },
});

/** Every problem of a refused document as `path: message`. */
function problems(doc: unknown): string[] {
  try {
    parseCaptures(doc, 'test.yaml', NOW);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected the document to be refused');
}

describe('issue 8 finding 5: configurations that corrupt or hang are refused', () => {
  it.each([
    ['../../x', 'bindings.0.target', /part '\.\.'/],
    ['/tmp/x', 'bindings.0.target', /empty part/],
    ['a/./b', 'bindings.0.target', /part '\.'/],
    ['a/b c', 'bindings.0.target', /part 'b c'/],
    ['rt26/', 'bindings.0.target', /empty part/],
    ['a//b', 'bindings.0.target', /empty part/],
    ['t'.repeat(300), 'bindings.0.target', /300 characters; the limit is 200/],
  ])('issue 8 finding 5: the target %.20s is refused at its path', (target, path, message) => {
    const found = problems(native({ bindings: [{ resource: 'Page', target }] }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: `));
    expect(found[0]).toMatch(message);
  });

  it.each([['a/../..'], ['rt26/'], ['/tmp/x'], ['a b'], ['n'.repeat(300)]])(
    'issue 8 finding 5: the capture name %.20s is refused in both formats',
    (name) => {
      expect(problems(native({ name }))).toEqual([expect.stringMatching(/^name: /)]);
      expect(problems(estuary(name))).toEqual([expect.stringContaining(`captures.${name}: capture name `)]);
    },
  );

  it('issue 8 finding 5: an Estuary binding target gets the same rule, at its full path', () => {
    expect(problems(estuary('acme/pendo', { bindings: [{ resource: 'Page', target: 'a/./b' }] }))).toEqual([
      expect.stringMatching(/^captures\.acme\/pendo\.bindings\.0\.target: 'a\/\.\/b' has the part '\.'/),
    ]);
  });

  it('issue 8 finding 5: a name at the limit is taken, and its default targets are checked too', () => {
    const name = 'n'.repeat(MAX_NAME_LENGTH);
    expect(parseCaptures(native({ name, bindings: [{ resource: 'Page', target: 'x/Page' }] }), 'x', NOW)).toHaveLength(
      1,
    );
    expect(problems(native({ name }))).toEqual([
      expect.stringMatching(
        /^bindings\.0: the default target of Page, <name>\/Page, is 205 characters; the limit is 200; shorten the name/,
      ),
    ]);
  });

  it('issue 8 finding 5: two bindings with one target are refused, explicit or default', () => {
    expect(
      problems(
        native({
          bindings: [
            { resource: 'Page', target: 'rt21/shared' },
            { resource: 'Feature', target: 'rt21/shared' },
          ],
        }),
      ),
    ).toEqual(["bindings.1.target: Feature and Page both write to 'rt21/shared'; each binding needs its own target"]);
    expect(
      problems(native({ bindings: [{ resource: 'Page', target: 'demo/Feature' }, { resource: 'Feature' }] })),
    ).toEqual(["bindings.1: Feature and Page both write to 'demo/Feature'; each binding needs its own target"]);
  });

  it.each([
    ['2026-02-30T00:00:00Z', /'2026-02-30T00:00:00Z' is not a real date and time/],
    ['2026-11-24T24:00:00Z', /is not a real date and time/],
    ['0000-01-01T00:00:00Z', /is before 2013-01-01T00:00:00.000Z; Pendo holds no data that old/],
    ['1970-01-01T00:00:00Z', /is before 2013-01-01/],
    ['2012-12-31T23:59:59Z', /is before 2013-01-01/],
    ['2099-01-01T00:00:00Z', /is 26336 day\(s\) from now; nothing is captured before then \(more than a year\)/],
  ])('issue 8 finding 5: the start date %s is refused', (startDate, message) => {
    expect(problems(native({ endpoint: endpoint({ startDate }) }))).toEqual([
      expect.stringMatching(new RegExp(`^endpoint\\.startDate: .*${message.source}`)),
    ]);
  });

  it('issue 8 finding 5: a start date less than a year ahead is taken with a warning naming the wait', () => {
    const [loaded] = parseCaptures(native({ endpoint: endpoint({ startDate: '2026-12-01T00:00:00Z' }) }), 'x', NOW);
    expect(loaded?.spec.settings.startMs).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect(loaded?.warnings).toEqual([
      { path: 'endpoint.startDate', message: 'is 7 day(s) from now; nothing is captured before then' },
    ]);
    const [past] = parseCaptures(native({ endpoint: endpoint({ startDate: '2013-01-01T00:00:00Z' }) }), 'x', NOW);
    expect(past?.warnings).toEqual([]);
  });

  it('issue 8 finding 5: zero bindings and an empty Estuary file are errors', () => {
    expect(problems(native({ bindings: [{ resource: 'Page', disable: true }] }))).toEqual([
      'bindings: every binding is disabled; nothing would be captured',
    ]);
    expect(problems(native({ bindings: [] }))).toEqual(['bindings: needs at least one binding']);
    expect(problems({ captures: {} })).toEqual(['captures: lists no capture; nothing would be captured']);
  });

  it.each([
    ['Visitors', undefined],
    ['PageEvent', 'PageEvents'],
    ['pageevents', 'PageEvents'],
    ['Guides', 'Guide'],
    ['PolEvents', 'PollEvents'],
  ])('issue 8 finding 5: the unknown resource %s lists the valid names and suggests %s', (resource, hint) => {
    const [found] = problems(native({ bindings: [{ resource }] }));
    expect(found).toContain(`bindings.0.resource: '${resource}' is not a Pendo resource; use one of Feature, Guide,`);
    if (hint) expect(found).toMatch(new RegExp(`\\(did you mean ${hint}\\?\\)$`));
    else expect(found).not.toMatch(/did you mean/);
    const [nested] = problems(native({ bindings: [{ resource: { name: resource } }] }));
    expect(nested).toMatch(/^bindings\.0\.resource\.name: /);
  });
});

describe('issue 8 finding 5: the reconfigure signal has the file schema bounds', () => {
  const refused = (args: unknown): string => {
    const r = ReconfigureArgsSchema.safeParse(args);
    if (r.success) throw new Error(`taken: ${JSON.stringify(args).slice(0, 80)}`);
    return describeIssues(r.error);
  };

  it.each([
    [
      'requestTimeoutMs 3e9',
      { settings: { limits: { requestTimeoutMs: 3_000_000_000 } } },
      /settings\.limits\.requestTimeoutMs: must be between 5s and 30m/,
    ],
    ['intervalMs 1e300', { settings: { intervalMs: 1e300 } }, /settings\.intervalMs: must be between 1s and 1d/],
    ['rescanWindowMs 1e15', { settings: { lateData: { rescanWindowMs: 1e15 } } }, /settings\.lateData\.rescanWindowMs/],
    ['startMs 0 (1970)', { settings: { startMs: 0 } }, /settings\.startMs/],
    [
      'startMs 400 days ahead',
      { settings: { startMs: Date.now() + 400 * 86_400_000 } },
      /startMs is more than a year ahead/,
    ],
    [
      'two bindings with one target',
      {
        bindings: [
          { resource: 'Page', target: 'x/s' },
          { resource: 'Feature', target: 'x/s' },
        ],
      },
      /bindings: has two bindings with one target/,
    ],
    [
      'target ../../x',
      { bindings: [{ resource: 'Page', target: '../../x' }] },
      /bindings\.0\.target: '\.\.\/\.\.\/x' has the part/,
    ],
    ['a 5000-character reason', { reason: 'r'.repeat(5000) }, /reason: must be at most 1000 characters/],
  ])('issue 8 finding 5: refuses %s', (_what, args, message) => {
    expect(refused(args)).toMatch(message);
  });

  it('takes each bound itself, as the file does', () => {
    const r = ReconfigureArgsSchema.safeParse({
      settings: {
        intervalMs: 86_400_000,
        startMs: Date.parse('2013-01-01T00:00:00Z'),
        limits: { requestTimeoutMs: 1_800_000, windowHours: 744 },
      },
    });
    expect(r.success).toBe(true);
  });
});

describe('issue 8 finding 5: capture validate exits non-zero on each, with the path', () => {
  // Each case starts the real CLI, through tsx.
  jest.setTimeout(60_000);
  const run = promisify(execFile);
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'pendoflow-validate-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function validate(doc: unknown, command = ['validate', '--no-check']): Promise<{ code: number; out: string }> {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(doc));
    try {
      // No server listens there: a refused file must stop before any connection.
      const env = { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' };
      const r = await run('node', ['bin/pendoflow.js', 'capture', ...command, '-f', file], { env });
      return { code: 0, out: r.stdout + r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }

  it.each([
    ['an Estuary name rt26/', estuary('rt26/'), /captures\.rt26\/: capture name 'rt26\/' has an empty part/],
    ['captures: {}', { captures: {} }, /captures: lists no capture/],
    ['resource PageEvent', native({ bindings: [{ resource: 'PageEvent' }] }), /did you mean PageEvents\?/],
    [
      'startDate 2026-02-30',
      native({ endpoint: endpoint({ startDate: '2026-02-30T00:00:00Z' }) }),
      /is not a real date and time/,
    ],
    [
      'two bindings with one target',
      native({
        bindings: [
          { resource: 'Page', target: 'x/s' },
          { resource: 'Feature', target: 'x/s' },
        ],
      }),
      /bindings\.1\.target: Feature and Page both write to 'x\/s'/,
    ],
  ])('issue 8 finding 5: capture validate refuses %s', async (_what, doc, message) => {
    const { code, out } = await validate(doc);
    expect(code).toBe(1);
    expect(out).toMatch(message);
  });

  it.each([[['start']], [['reconfigure', 'demo']]])(
    'issue 8 finding 5: capture %s refuses two bindings with one target before connecting',
    async (command) => {
      const doc = native({
        bindings: [
          { resource: 'Page', target: 'x/s' },
          { resource: 'Feature', target: 'x/s' },
        ],
      });
      const { code, out } = await validate(doc, command);
      expect(code).toBe(1);
      expect(out).toMatch(/bindings\.1\.target: Feature and Page both write to 'x\/s'/);
    },
  );

  it('prints a warning for a start date ahead, and exits 0', async () => {
    const soon = new Date(Math.floor(Date.now() / 1000) * 1000 + 3 * 86_400_000).toISOString().replace('.000', '');
    const { code, out } = await validate(native({ endpoint: endpoint({ startDate: soon }) }));
    expect(code).toBe(0);
    expect(out).toMatch(/warning: .*endpoint\.startDate: is 3 day\(s\) from now/);
  });
});
