import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BindingStatus, CaptureSettings } from '../../../src/workflows/capture/types';
import { LocalCollections } from '../../../src/sinks/collections';
import {
  CLOSED_STATES,
  initialProgress,
  resumeFrom,
  withOutcome,
} from '../../../src/workflows/capture/binding-progress';
import { silenceLimitMs } from '../../../src/workflows/capture/binding-watch';
import { HOUR } from '../../../src/workflows/capture/cursor';
import { HISTORY_BUDGET, historyFull } from '../../../src/workflows/capture/history-budget';

const T = Date.parse('2026-11-24T10:00:00Z');
const settings = (startMs: number): CaptureSettings => ({
  startMs,
  intervalMs: 60_000,
  limits: { incrementalLimit: 10, backfillLimit: 10, windowHours: 1, requestTimeoutMs: 1000 },
  lateData: { mode: 'rescan', processingDelayMs: 0, rescanWindowMs: 0, rescanEveryMs: HOUR, settleDelayMs: 0 },
});

describe('issue 8 finding 3: when a binding continues as new', () => {
  const quiet = { historyLength: 100, historySize: 10_000, continueAsNewSuggested: false };

  it('goes on in the same run while the history is short and the server does not suggest it', () => {
    expect(historyFull(quiet)).toBe(false);
  });

  it('continues as new when the server suggests it, or at its own budget of events or bytes', () => {
    expect(historyFull({ ...quiet, continueAsNewSuggested: true })).toBe(true);
    expect(historyFull({ ...quiet, historyLength: HISTORY_BUDGET.events })).toBe(true);
    expect(historyFull({ ...quiet, historySize: HISTORY_BUDGET.bytes })).toBe(true);
  });

  it('keeps its own budget under the server warnings (10,240 events, 10 MB)', () => {
    expect(HISTORY_BUDGET.events).toBeLessThan(10_240);
    expect(HISTORY_BUDGET.bytes).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('issue 8 finding 3: where a fresh binding starts', () => {
  const start = T - 100 * HOUR;

  it('starts at the start date when its collection has no committed cursor', () => {
    const p = initialProgress(settings(start));
    resumeFrom(p, settings(start), null);
    expect(p.cursorMs).toBe(start);
  });

  it('resumes at the committed cursor when the record covers its start hour', () => {
    const p = initialProgress(settings(start));
    resumeFrom(p, settings(start), { startMs: start, cursorMs: T - 40 * HOUR });
    expect(p.cursorMs).toBe(T - 40 * HOUR);
    const later = initialProgress(settings(start + 10 * HOUR));
    resumeFrom(later, settings(start + 10 * HOUR), { startMs: start, cursorMs: T - 40 * HOUR });
    expect(later.cursorMs).toBe(T - 40 * HOUR);
  });

  it('backfills from an earlier start date, and skips to a start date past the record', () => {
    const earlier = initialProgress(settings(start - 10 * HOUR));
    resumeFrom(earlier, settings(start - 10 * HOUR), { startMs: start, cursorMs: T - 40 * HOUR });
    expect(earlier.cursorMs).toBe(start - 10 * HOUR);
    const past = initialProgress(settings(T - 20 * HOUR));
    resumeFrom(past, settings(T - 20 * HOUR), { startMs: start, cursorMs: T - 40 * HOUR });
    expect(past.cursorMs).toBe(T - 20 * HOUR);
  });
});

describe('issue 8 finding 3: a binding whose workflow closed', () => {
  const last: BindingStatus = {
    capture: 'c',
    resource: 'PageEvents',
    target: 'c/PageEvents',
    state: 'backfilling',
    cursor: new Date(T).toISOString(),
    backfill: { fromIso: '', toIso: '', percent: 49.8, windowsDone: 10, windowsSplit: 0 },
    documents: 5,
    shrinks: 0,
    lastPollAt: null,
    lastError: null,
    lagSeconds: 0,
    rescans: 0,
  };

  it('shows how it closed and why, and keeps where it was', () => {
    const error = { type: 'BindingTerminated', message: 'terminated: history count exceeds limit', at: '' };
    const s = withOutcome(last, { state: 'terminated', error });
    expect(s).toMatchObject({ state: 'terminated', lastError: error, cursor: last.cursor });
    expect(s.backfill?.percent).toBe(49.8);
    expect(CLOSED_STATES.has(s.state)).toBe(true);
    expect(CLOSED_STATES.has('backfilling')).toBe(false);
  });

  it('is asked after once silent for ten intervals, within [10 s, 10 min]', () => {
    expect(silenceLimitMs(1000)).toBe(10_000);
    expect(silenceLimitMs(30_000)).toBe(300_000);
    expect(silenceLimitMs(3_600_000)).toBe(600_000);
  });
});

describe('issue 8 finding 3: the committed cursor of a collection', () => {
  let root: string;
  let collections: LocalCollections;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pendoflow-cursor-'));
    collections = new LocalCollections(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads back what was written, is not a partition, and goes with the collection', async () => {
    expect(await collections.readCursor('c/PageEvents')).toBeNull();
    await collections.writeCursor('c/PageEvents', { startMs: T - HOUR, cursorMs: T });
    await collections.writeCursor('c/PageEvents', { startMs: T - HOUR, cursorMs: T + HOUR });
    expect(await collections.readCursor('c/PageEvents')).toEqual({ startMs: T - HOUR, cursorMs: T + HOUR });
    expect(await collections.partitions('c/PageEvents')).toEqual([]);
    expect((await readdir(join(root, 'c', 'PageEvents'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await collections.drop('c/PageEvents');
    expect(await collections.readCursor('c/PageEvents')).toBeNull();
  });

  it('treats an unreadable record as none, so the hours are read again rather than skipped', async () => {
    await collections.writeCursor('c/PageEvents', { startMs: T, cursorMs: T });
    await writeFile(join(root, 'c', 'PageEvents', '_cursor.json'), '{"startMs": "x"');
    expect(await collections.readCursor('c/PageEvents')).toBeNull();
  });
});
