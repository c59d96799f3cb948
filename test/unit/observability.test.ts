import { jsonLine } from '../../src/observability/runtime';

describe('JSON log lines', () => {
  it('carry the context and print errors by name and message, not as {}', () => {
    const line = jsonLine({
      level: 'WARN',
      message: 'Workflow failed',
      timestampNanos: 1_795_478_400_000_000_000n,
      meta: { workflowId: 'w', error: new TypeError('boom', { cause: new Error('root') }) },
    });
    expect(JSON.parse(line)).toEqual({
      time: '2026-11-24T00:00:00.000Z',
      level: 'warn',
      message: 'Workflow failed',
      workflowId: 'w',
      error: { name: 'TypeError', message: 'boom', cause: { name: 'Error', message: 'root' } },
    });
  });
});
