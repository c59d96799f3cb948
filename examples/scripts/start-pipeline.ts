// Starts a Pendo → AEP pipeline and waits for its dataflow's inlet URL.
//   npx tsx examples/scripts/start-pipeline.ts examples/pipeline.yaml
import { loadPipelineFile, PendoflowClient } from 'pendoflow/client';

async function main(file: string): Promise<void> {
  const spec = loadPipelineFile(file);
  const client = await PendoflowClient.connect();
  try {
    const { workflowId, started } = await client.startPipeline(spec);
    console.log(started ? `started ${workflowId}` : `${workflowId} was already running`);
    const inlet = await client.waitForInlet(spec.name, { timeoutMs: 180_000 });
    console.log(`inlet: ${inlet}`);
  } finally {
    await client.close();
  }
}

main(process.argv[2] ?? 'examples/pipeline.yaml').catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
