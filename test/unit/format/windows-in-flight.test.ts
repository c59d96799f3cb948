import { statusTable } from '../../../src/client/format/status-table';
import { bindingStatus, initialProgress } from '../../../src/workflows/capture/binding-progress';
import { bindingDetails, captureDetails } from '../../../src/workflows/capture/details';
import type { CaptureSettings, CaptureStatus } from '../../../src/workflows/capture/types';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 10, 36);
const settings: CaptureSettings = {
  startMs: NOW - 48 * HOUR,
  intervalMs: 10_000,
  limits: { incrementalLimit: 1000, backfillLimit: 5000, windowHours: 6, requestTimeoutMs: 30_000 },
  lateData: { mode: 'rescan', processingDelayMs: 0, rescanWindowMs: 0, rescanEveryMs: HOUR, settleDelayMs: 0 },
};

test('issue 13: capture status and the UI details show the windows a binding has in flight, and its 429s', () => {
  const p = initialProgress(settings);
  p.throttles = 3;
  p.slowDowns = 2;
  const from = p.cursorMs;
  const inFlight = [
    { fromMs: from, toMs: from + 6 * HOUR },
    { fromMs: from + 6 * HOUR, toMs: from + 12 * HOUR },
  ];
  const binding = { resource: 'PageEvents' as const, target: 'c/PageEvents' };
  const s = bindingStatus('c', binding, settings, p, 'backfilling', NOW, { inFlight, slots: 4 });
  const window0 = `${new Date(from).toISOString()}/${new Date(from + 6 * HOUR).toISOString()}`;
  expect(s.backfill?.inFlight).toHaveLength(2);
  expect(s.backfill?.inFlight?.[0]).toBe(window0);
  const capture: CaptureStatus = {
    capture: 'c',
    state: 'running',
    intervalMs: 10_000,
    lateDataMode: 'rescan',
    bindings: [s],
    lastRejectedReconfigure: null,
  };
  const table = statusTable(capture);
  expect(table).toMatch(/PageEvents .*2\/4 in flight/);
  expect(table).toContain(`PageEvents: windows in flight ${window0}, `);
  expect(table).toContain('PageEvents: 3 429s met, slowed 2 time(s)');
  expect(bindingDetails(s)).toContain(`windows in flight (2 of 4): ${window0}`);
  expect(captureDetails(capture)).toContain('0% (2 in flight)');
  // Nothing in flight: nothing said.
  const idle = bindingStatus('c', binding, settings, initialProgress(settings), 'idle', NOW, {
    inFlight: [],
    slots: 4,
  });
  expect(statusTable({ ...capture, bindings: [idle] })).not.toContain('in flight');
});
