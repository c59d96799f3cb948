import { statusTable } from '../../../src/client/format/status-table';
import type { CaptureSettings } from '../../../src/workflows/capture/types';
import { codeTable } from '../../../src/workflows/common/text-table';
import { bindingProgressStatus } from './fixtures';
import { bindingDetails, captureDetails } from '../../../src/workflows/capture/details';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 10, 36);

function settings(mode: 'settledOnly' | 'rescan'): CaptureSettings {
  return {
    startMs: NOW - 24 * HOUR,
    intervalMs: 10_000,
    limits: { incrementalLimit: 1000, backfillLimit: 5000, windowHours: 6, requestTimeoutMs: 30_000 },
    lateData: { mode, processingDelayMs: 0, rescanWindowMs: 0, rescanEveryMs: HOUR, settleDelayMs: 8 * HOUR },
  };
}

test('issue 9 point 5: a caught-up settledOnly binding reads "settling (8h delay)" in capture status and the UI details, not LAG 8.6h', () => {
  const s = bindingProgressStatus(settings('settledOnly'), NOW, 'caughtUp');
  expect(s.backfill?.percent).toBe(100);
  const table = statusTable({
    capture: 'c',
    state: 'running',
    intervalMs: 10_000,
    lateDataMode: 'settledOnly',
    bindings: [s],
    lastRejectedReconfigure: null,
  });
  expect(table).toContain('settling (8h delay)');
  expect(table).not.toMatch(/\b8\.\dh\b/);
  expect(bindingDetails(s)).toContain('settling (8h delay)');
  expect(
    captureDetails({
      capture: 'c',
      state: 'running',
      intervalMs: 10_000,
      lateDataMode: 'settledOnly',
      bindings: [s],
      lastRejectedReconfigure: null,
    }),
  ).toContain('settling (8h delay)');
});

test('issue 9 point 5: a settledOnly binding still backfilling, and a rescan binding, show their lag in hours', () => {
  const behind = bindingProgressStatus(settings('settledOnly'), NOW, 'halfway');
  expect(behind.backfill?.percent).toBeLessThan(100);
  expect(bindingDetails(behind)).toMatch(/lag: \d+(\.\d)?h\)/);
  const rescan = bindingProgressStatus(settings('rescan'), NOW, 'caughtUp');
  expect(rescan.settleDelaySeconds).toBeUndefined();
  expect(bindingDetails(rescan)).not.toContain('settling');
});

test('issue 9 point 5: details tables are aligned monospace blocks the UI renders with space between columns', () => {
  const t = codeTable(
    ['resource', 'state', 'documents'],
    [
      ['PageEvents', 'idle', '1898'],
      ['Page', 'backfilling', '3'],
    ],
  );
  const lines = t.split('\n');
  expect(lines[0]).toBe('```');
  expect(lines.at(-1)).toBe('```');
  expect(lines[1]).toBe('resource    state        documents');
  expect(lines[2]).toBe('PageEvents  idle         1898');
  // Every column starts at the same offset on every line.
  expect(lines[3]?.indexOf('backfilling')).toBe(lines[1]?.indexOf('state'));
});
