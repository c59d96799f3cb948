// Starts the capture of a file and waits until its first poll has run for every resource.
//   npx tsx examples/scripts/start-capture.ts examples/demo-capture.yaml
import { loadCaptureFile, PendoflowClient } from 'pendoflow/client';

async function main(file: string): Promise<void> {
  const client = await PendoflowClient.connect();
  try {
    for (const spec of loadCaptureFile(file)) {
      const { workflowId, started } = await client.startCapture(spec);
      console.log(started ? `started ${workflowId}` : `${workflowId} was already running`);
      const status = await client.waitForCapture(spec.name, (s) => s.bindings.every((b) => b.lastPollAt !== null), {
        timeoutMs: 120_000,
      });
      for (const b of status.bindings) console.log(`${b.resource}: ${b.state}, ${b.documents} documents`);
    }
  } finally {
    await client.close();
  }
}

main(process.argv[2] ?? 'examples/demo-capture.yaml').catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
