// Waits on a capture's status query until every resource has finished its backfill, printing progress.
//   npx tsx examples/scripts/wait-for-backfill.ts demo
import { PendoflowClient } from 'pendoflow/client';

async function main(name: string): Promise<void> {
  const client = await PendoflowClient.connect();
  try {
    let last = '';
    const status = await client.waitForCapture(
      name,
      (s) => {
        const progress = s.bindings.map((b) => `${b.resource} ${b.backfill ? `${b.backfill.percent}%` : b.state}`);
        if (progress.join(', ') !== last) console.log((last = progress.join(', ')));
        return s.bindings.every((b) => b.lastPollAt !== null && (b.backfill === null || b.backfill.percent >= 100));
      },
      { timeoutMs: 600_000, pollMs: 2000 },
    );
    const documents = status.bindings.reduce((n, b) => n + b.documents, 0);
    console.log(`${name} caught up: ${documents} documents in ${status.bindings.length} collections`);
  } finally {
    await client.close();
  }
}

main(process.argv[2] ?? 'demo').catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
