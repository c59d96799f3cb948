import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverPartition, type BatchSender } from '../../../src/sinks/aep-delivery';
import { LocalCollections } from '../../../src/sinks/collections';
import { DeliveryLedger } from '../../../src/sinks/delivery-ledger';
import { toMessage, uniqueIdOf } from '../../../src/sinks/messages';
import { provisionPendo, startHarness, type Harness } from '../aep/fixtures';

const T = Date.parse('2026-11-24T00:00:00Z');
const row = (i: number) => ({
  hour: T,
  pageId: `page-${i % 7}`,
  appId: -323232,
  visitorId: `visitor-${i}`,
  accountId: `acct-${i % 13}`,
  remoteIp: '203.0.113.1',
  server: 'app.example.com',
  userAgent: 'ua',
  numEvents: 1 + (i % 5),
  numMinutes: 1,
});

let h: Harness;
let dir: string;
let collections: LocalCollections;
let ledger: DeliveryLedger;
let inlet: { inletUrl: string; flowId: string };

beforeAll(async () => {
  h = await startHarness();
  const p = await provisionPendo(h.clients, 'delivery');
  const inletUrl = await h.clients.flowService.getInletUrl(p.flowId);
  if (!inletUrl) throw new Error('the flow has no inlet URL');
  inlet = { inletUrl, flowId: p.flowId };
});
afterAll(async () => h?.emu.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendoflow-delivery-'));
  collections = new LocalCollections(join(dir, 'collections'));
  ledger = new DeliveryLedger(join(dir, 'deliveries'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function writePartition(target: string, n: number): Promise<void> {
  const w = await collections.openPartition(target, '2026-11-24T00');
  for (let i = 0; i < n; i++) await w.write(row(i));
  await w.commit();
}

const args = (target: string, sender: BatchSender = h.clients.inlet) => ({
  collections,
  ledger,
  sender,
  inlet,
  resource: 'PageEvents' as const,
  target,
  partition: '2026-11-24T00',
  pause: async () => undefined,
});

describe('messages', () => {
  it('are Pendo-webhook-shaped, with a uniqueId stable for a key and distinct across keys', () => {
    const m = toMessage('PageEvents', row(1));
    expect(m).toMatchObject({
      accountId: 'acct-1',
      visitorId: 'visitor-1',
      timestamp: T,
      eventType: 'pageEvent',
      properties: row(1),
    });
    expect(uniqueIdOf('PageEvents', { ...row(1), numEvents: 99 })).toBe(m.uniqueId);
    expect(uniqueIdOf('PageEvents', row(2))).not.toBe(m.uniqueId);
    expect(uniqueIdOf('FeatureEvents', row(1))).not.toBe(m.uniqueId);
  });

  it('give each version of a metadata object, and its deletion, its own uniqueId', () => {
    const v1 = uniqueIdOf('Page', { id: 'p', _meta: { op: 'c', hash: 'a' } });
    expect(uniqueIdOf('Page', { id: 'p', _meta: { op: 'u', hash: 'b' } })).not.toBe(v1);
    expect(uniqueIdOf('Page', { id: 'p', _meta: { op: 'u', hash: 'a' } })).toBe(v1);
    expect(toMessage('Page', { id: 'p', _meta: { op: 'd', hash: 'deleted' } }).eventType).toBe('pageDeleted');
  });
});

describe('deliverPartition', () => {
  it('sends every document once, in batches, and a second delivery sends nothing', async () => {
    await writePartition('d/all', 1200);
    expect(await deliverPartition(args('d/all'))).toEqual({ sent: 1200, skipped: 0, rejected: 0 });
    expect(await deliverPartition(args('d/all'))).toEqual({ sent: 0, skipped: 1200, rejected: 0 });
    const sent = new Set(Array.from({ length: 1200 }, (_, i) => uniqueIdOf('PageEvents', row(i))));
    const stored = (await h.inspector.records(inlet.flowId))
      .map((r) => (r.input as { uniqueId: string }).uniqueId)
      .filter((id) => sent.has(id));
    expect(stored.length).toBe(1200);
    expect(new Set(stored).size).toBe(1200);
    const sample = (await h.inspector.records(inlet.flowId)).find((r) =>
      sent.has((r.input as { uniqueId: string }).uniqueId),
    );
    expect(sample?.errors).toEqual([]);
  });

  it('resumes after the last acknowledged batch when a delivery dies part-way', async () => {
    await writePartition('d/crash', 1200);
    let calls = 0;
    const dying: BatchSender = {
      async sendBatch(url, flow, messages, o) {
        if (++calls === 2) throw new Error('worker killed');
        return h.clients.inlet.sendBatch(url, flow, messages, o);
      },
    };
    await expect(deliverPartition(args('d/crash', dying))).rejects.toThrow('worker killed');
    expect(await deliverPartition(args('d/crash'))).toEqual({ sent: 700, skipped: 500, rejected: 0 });
  });

  it('retries messages the inlet refused for now, and delivers a changed partition again', async () => {
    await writePartition('d/retry', 10);
    let first = true;
    const flaky: BatchSender = {
      async sendBatch(url, flow, messages, o) {
        if (first) {
          first = false;
          return messages.map((_, index) =>
            index % 2
              ? { index, ok: false as const, type: 'AepUnavailable' as const, retryable: true, message: '503' }
              : { index, ok: true as const, xactionId: 'x' },
          );
        }
        return h.clients.inlet.sendBatch(url, flow, messages, o);
      },
    };
    expect(await deliverPartition(args('d/retry', flaky))).toEqual({ sent: 10, skipped: 0, rejected: 0 });
    await writePartition('d/retry', 11);
    expect(await deliverPartition(args('d/retry'))).toEqual({ sent: 11, skipped: 0, rejected: 0 });
  });
});
