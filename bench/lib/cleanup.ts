/** Undo steps run last-in first-out, once, whether the benchmark ends, fails or is interrupted. */
export class Cleanup {
  private readonly steps: { what: string; undo: () => Promise<void> }[] = [];
  private done: Promise<void> | undefined;

  add(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const { what, undo } of this.steps.reverse()) {
        await undo().catch((err: unknown) => console.error(`cleanup: ${what}: ${String(err)}`));
      }
    })();
    return this.done;
  }
}

/** Runs a benchmark's main, then its cleanup; SIGINT and SIGTERM clean up too. Sets the exit code. */
export function runBench(name: string, main: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup = new Cleanup();
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`\n${name}: ${signal}, cleaning up`);
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  main(cleanup)
    .then(
      () => cleanup.run(),
      async (err: unknown) => {
        // Once interrupted, a failure is only the work being cut short.
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        if (!interrupted) console.error(`${name} failed: ${message}`);
        process.exitCode = 1;
        await cleanup.run();
      },
    )
    .finally(() => process.exit());
}
