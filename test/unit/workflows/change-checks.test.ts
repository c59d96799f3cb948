import { ApplicationFailure } from '@temporalio/common';
import type { CaptureSpec } from '../../../src/workflows/capture/types';
import { reconfigureProblem } from '../../../src/workflows/capture/reconfigure-check';
import { planReconfigure, reconfigureRejection } from '../../../src/workflows/capture/reconfigure';
import { changeFailure, checkChange } from '../../../src/workflows/dataflow/checks';
import { DeleteArgsSchema, UpdateAccountArgsSchema, UpdateArgsSchema } from '../../../src/workflows/dataflow/schema';
import { initialState } from '../../../src/workflows/dataflow/state';
import type { DataflowSpec } from '../../../src/workflows/dataflow/types';
import { parseDataflowDocument } from '../../../src/config/dataflow-load';

const spec: CaptureSpec = {
  name: 'acme',
  endpoint: { accessToken: 'env:K' },
  settings: {
    startMs: Date.parse('2026-11-01T00:00:00Z'),
    intervalMs: 60_000,
    limits: { incrementalLimit: 1000, backfillLimit: 50_000, windowHours: 24, requestTimeoutMs: 300_000 },
    lateData: { mode: 'rescan', processingDelayMs: 0, rescanWindowMs: 0, rescanEveryMs: 3_600_000, settleDelayMs: 0 },
  },
  bindings: [
    { resource: 'Page', target: 'acme/Page' },
    { resource: 'PageEvents', target: 'acme/PageEvents' },
  ],
};

describe('issue 10: the reconfigure signal and Update share one check', () => {
  it.each([
    [{ settings: { intervalMs: 10 } }, /^settings\.intervalMs: /],
    [{ settings: { limits: { requestTimeoutMs: 1000 } } }, /^settings\.limits\.requestTimeoutMs: /],
    [{ bindings: [{ resource: 'Page', target: 'moved/Page' }] }, /^bindings\.0\.target: /],
    [{ reason: 'x'.repeat(70 * 1024) }, /^\(argument\): is \d+ characters of JSON/],
  ])('refuses %#, naming the field, with the message the signal records', (args, field) => {
    const rejection = reconfigureRejection(args, spec);
    expect(rejection).toBeInstanceOf(ApplicationFailure);
    expect(rejection).toMatchObject({ type: 'InvalidReconfigure', nonRetryable: true });
    expect(rejection?.message).toMatch(field);
    expect(rejection?.message).toBe(reconfigureProblem(args, spec));
  });

  it('takes a good change, and plans which bindings stop, start and get the new settings', () => {
    const args = {
      bindings: [
        { resource: 'Page' as const, target: 'acme/Page' },
        { resource: 'Feature' as const, target: 'acme/Feature' },
      ],
      settings: { intervalMs: 30_000, lateData: { rescanWindowMs: 3_600_000 } },
    };
    expect(reconfigureRejection(args, spec)).toBeUndefined();
    const plan = planReconfigure(spec, args);
    expect(plan.stopped.map((b) => b.resource)).toEqual(['PageEvents']);
    expect(plan.started.map((b) => b.resource)).toEqual(['Feature']);
    expect(plan.resettled.map((b) => b.resource)).toEqual(['Page']);
    expect(plan.spec.settings).toEqual({
      ...spec.settings,
      intervalMs: 30_000,
      lateData: { ...spec.settings.lateData, rescanWindowMs: 3_600_000 },
    });
    expect(planReconfigure(spec, { bindings: spec.bindings }).resettled).toEqual([]);
  });
});

describe('issue 10: the dataflow signals and Updates share one check', () => {
  const dataflowSpec: DataflowSpec = parseDataflowDocument(
    { name: 'df', orgId: 'ORG@AdobeOrg', sandbox: 'prod', clientId: 'id', clientSecret: 'env:S' },
    'test',
  );
  const ready = () => ({ ...initialState(dataflowSpec, 'aep-dataflow:prod:df'), phase: 'ready' as const });

  it('refuses a bad argument naming the field, and the Update answers with the same reason', () => {
    const bad = { mappings: [{ source: 'accountId', destination: 'accountId' }] };
    const checked = checkChange('update', UpdateArgsSchema, bad, ready());
    expect(checked).toMatchObject({ ok: false, type: 'InvalidSignal', message: expect.stringMatching(/^mappings: /) });
    if (checked.ok) throw new Error('accepted');
    expect(changeFailure('update', checked)).toMatchObject({
      type: 'InvalidSignal',
      message: `update: ${checked.message}`,
    });
    expect(checkChange('updateAccount', UpdateAccountArgsSchema, {}, ready())).toMatchObject({
      ok: false,
      message: '(argument): needs name or description',
    });
  });

  it('takes only delete once the dataflow is being deleted', () => {
    const deleting = { ...ready(), deleteRequested: { reason: null, at: 'now' } };
    expect(checkChange('update', UpdateArgsSchema, { name: 'v2' }, deleting)).toEqual({
      ok: false,
      type: 'DataflowClosing',
      message: 'the dataflow is being deleted',
    });
    expect(checkChange('delete', DeleteArgsSchema, {}, deleting)).toEqual({ ok: true, args: {} });
    expect(checkChange('update', UpdateArgsSchema, { name: 'v2' }, { ...ready(), phase: 'deleted' })).toMatchObject({
      message: 'the dataflow is deleted',
    });
    expect(checkChange('update', UpdateArgsSchema, { name: 'v2' }, ready())).toEqual({
      ok: true,
      args: { name: 'v2' },
    });
  });
});
