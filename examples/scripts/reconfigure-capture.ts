// Changes a running capture's poll interval by signal, and waits until its status shows the new value.
//   npx tsx examples/scripts/reconfigure-capture.ts demo 30000
import { PendoflowClient } from 'pendoflow/client';

async function main(name: string, intervalMs: number): Promise<void> {
  const client = await PendoflowClient.connect();
  try {
    await client.signalReconfigure(name, {
      settings: { intervalMs },
      reason: 'examples/scripts/reconfigure-capture.ts',
    });
    const status = await client.waitForCapture(name, (s) => s.intervalMs === intervalMs, { timeoutMs: 60_000 });
    console.log(`${name} now polls every ${status.intervalMs / 1000}s`);
  } finally {
    await client.close();
  }
}

main(process.argv[2] ?? 'demo', Number(process.argv[3] ?? 30_000)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
