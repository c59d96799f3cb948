import { z } from 'zod';
import { CAPTURE_TASK_QUEUE } from '../workflows/common/task-queues';
import { loadTemporalSettings, type TemporalSettings } from './temporal-connection';
import { parseAllowedHosts } from './host-rules';
import { parseEnvAllow, parseFileDirs } from './secret-rules';
import { postgresUrlProblem } from '../store/postgres/url';
import { WORKER_SIZING_ENV, WorkerSizingSchema } from './worker-sizing';

/**
 * pendoflow's own environment variables; docker-compose.yml sets the same names. The Temporal connection comes
 * from Temporal's environment configuration (TEMPORAL_ENV in temporal-connection.ts).
 */
export const RUNTIME_ENV = {
  taskQueue: 'PENDOFLOW_TASK_QUEUE',
  dataDir: 'PENDOFLOW_DATA_DIR',
  store: 'PENDOFLOW_STORE',
  encryptionKey: 'PENDOFLOW_ENCRYPTION_KEY',
  workflowBundle: 'PENDOFLOW_WORKFLOW_BUNDLE',
  metricsPort: 'PENDOFLOW_METRICS_PORT',
  logLevel: 'PENDOFLOW_LOG_LEVEL',
  secretEnvAllow: 'PENDOFLOW_SECRET_ENV_ALLOW',
  secretFileDirs: 'PENDOFLOW_SECRET_FILE_DIRS',
  allowedHosts: 'PENDOFLOW_ALLOWED_HOSTS',
  ...WORKER_SIZING_ENV,
} as const;

/** A comma-separated list setting, parsed by `parse`; its error becomes the setting's problem. */
const listSetting = (parse: (value: string | undefined) => string[]) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parse(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });

const RuntimeSchema = z.object({
  taskQueue: z.string().min(1).default(CAPTURE_TASK_QUEUE),
  dataDir: z.string().min(1).default('.data'),
  /**
   * A postgres:// URL: the PostgreSQL store every worker shares. Unset: local files under dataDir. Its password is
   * a secret: it is never printed (messages mask it) and never leaves the process.
   */
  store: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const problem = value === undefined ? undefined : postgresUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** A secret reference (`env:`, `file:`) or inline base64 of 32 bytes; turns on payload encryption. */
  encryptionKey: z.string().min(1).optional(),
  /** A prebuilt workflow bundle; without it the worker bundles src/workflows at start-up. */
  workflowBundle: z.string().min(1).optional(),
  /** Serve Prometheus metrics on this port (`/metrics`); off when unset. */
  metricsPort: z.coerce.number().int().min(1).max(65_535).optional(),
  logLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** Variable names or `PREFIX_*` that `env:` references of a config may name (never PENDOFLOW_*, TEMPORAL_*). */
  secretEnvAllow: listSetting(parseEnvAllow),
  /** Absolute folders that `file:` references of a config may read under; none by default. */
  secretFileDirs: listSetting(parseFileDirs),
  /** Hosts or host:port pairs beyond the Pendo and Adobe hosts that the worker may send to (e.g. the emulators). */
  allowedHosts: listSetting(parseAllowedHosts),
  ...WorkerSizingSchema,
});

export type RuntimeConfig = z.output<typeof RuntimeSchema> & {
  address: string;
  namespace: string;
  temporal: TemporalSettings;
};

/** Reads the runtime settings once from the environment; a bad value names its variable. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const raw = Object.fromEntries(
    Object.entries(RUNTIME_ENV).map(([field, name]) => [field, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = RuntimeSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const field = String(i.path[0]) as keyof typeof RUNTIME_ENV;
      return `${RUNTIME_ENV[field] ?? field}: ${i.message}`;
    });
    throw new Error(`bad environment:\n  ${problems.join('\n  ')}`);
  }
  const temporal = loadTemporalSettings(env);
  return { ...parsed.data, address: temporal.address, namespace: temporal.namespace, temporal };
}
