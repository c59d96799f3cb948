import { pipelineText } from '../../../src/client/commands/pipeline/control';
import type { DeliverySummary, PipelineState } from '../../../src/workflows/pipeline/types';

const state = (delivery: DeliverySummary | null): PipelineState => ({
  name: 'acme',
  phase: 'streaming',
  dataflow: {
    workflowId: 'aep-dataflow:prod:acme',
    phase: 'ready',
    closed: false,
    inletUrl: 'https://dcs.adobedc.net/collection/abc',
    flowId: 'flow-1',
    lastRuns: [
      {
        id: 'run-1',
        status: 'success',
        startedAt: null,
        completedAt: null,
        inputRecords: 2587,
        outputRecords: 2587,
        failedRecords: 0,
        errors: [],
      },
    ],
    lastError: null,
  },
  capture: null,
  delivery,
  lastError: null,
  updatedAt: '2026-12-01T00:00:00Z',
});

describe('pipeline status', () => {
  it('issue 8 finding 1: shows delivered, dead-lettered and pending, and no bare "0 failed" while messages were refused', () => {
    const text = pipelineText(
      state({
        delivered: 2587,
        deadLettered: 18,
        pending: 5,
        lastRefusal: { uniqueId: 'u-1', resource: 'Page', message: 'AepValidation: bad', at: '2026-12-01T00:00:00Z' },
      }),
    );
    expect(text).toContain('delivery 2587 delivered, 18 dead-lettered, 5 pending');
    expect(text).toContain("0 failed (AEP's count; 18 more refused at the inlet, dead-lettered)");
    expect(text).toContain('last refused Page u-1: AepValidation: bad');
    expect(text).toContain('once fixed: pendoflow pipeline replay-dead-letters acme');
    expect(text).not.toMatch(/0 failed$/m);
  });

  it('says plainly when nothing was refused, and when counts are not known yet', () => {
    const clean = pipelineText(state({ delivered: 10, deadLettered: 0, pending: 0, lastRefusal: null }));
    expect(clean).toContain('last run success: 2587 in, 2587 out, 0 failed\n');
    expect(clean).toContain('delivery 10 delivered, 0 dead-lettered, 0 pending');
    expect(clean).not.toContain('replay-dead-letters');
    expect(pipelineText(state(null))).toContain('delivery —');
  });
});
