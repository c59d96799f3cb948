// Changes a running capture's poll interval by Update, and prints the status it answers with, or why it refused.
//   npx tsx examples/scripts/reconfigure-by-update.ts demo 45000
import { ChangeRejectedError, PendoflowClient } from 'pendoflow/client';

async function main(name: string, intervalMs: number): Promise<number> {
  const client = await PendoflowClient.connect();
  try {
    const status = await client.reconfigureCapture(name, {
      settings: { intervalMs },
      reason: 'examples/scripts/reconfigure-by-update.ts',
    });
    console.log(`${name} now polls every ${status.intervalMs / 1000}s (${status.bindings.length} bindings)`);
    return 0;
  } catch (err) {
    if (!(err instanceof ChangeRejectedError)) throw err;
    console.error(`refused, nothing changed: ${err.reason}`);
    return 2;
  } finally {
    await client.close();
  }
}

main(process.argv[2] ?? 'demo', Number(process.argv[3] ?? 45_000)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
