import { DefaultLogger, type LogEntry, type LogLevel, Runtime } from '@temporalio/worker';

/** Errors have no enumerable fields, so JSON would print them as `{}`. */
function plain(value: unknown): unknown {
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause;
    return { name: value.name, message: value.message, ...(cause ? { cause: plain(cause) } : {}) };
  }
  return value;
}

/** One JSON object per line, with the workflow or activity context the SDK attaches. */
export function jsonLine(entry: LogEntry): string {
  const { meta, ...rest } = entry;
  return JSON.stringify({
    time: new Date(Number(rest.timestampNanos / 1_000_000n)).toISOString(),
    level: rest.level.toLowerCase(),
    message: rest.message,
    ...Object.fromEntries(Object.entries(meta ?? {}).map(([key, value]) => [key, plain(value)])),
  });
}

/**
 * Installs the process-wide Temporal runtime: structured JSON logs, and a Prometheus endpoint serving Temporal's
 * worker metrics and pendoflow's own (`pendoflow_*`). Call once, before any connection is made.
 */
export function installRuntime(opts: { logLevel: LogLevel; metricsPort?: number }): void {
  Runtime.install({
    logger: new DefaultLogger(opts.logLevel, (entry) => process.stdout.write(jsonLine(entry) + '\n')),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: opts.logLevel === 'DEBUG' ? 'DEBUG' : 'WARN', other: 'WARN' } },
      ...(opts.metricsPort ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${opts.metricsPort}` } } } : {}),
    },
  });
}
