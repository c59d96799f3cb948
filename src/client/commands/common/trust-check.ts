import { ConfigError, type ConfigProblem } from '../../../config/load';
import { loadRuntimeConfig } from '../../../config/runtime';
import { workerTrust, type WorkerTrust } from '../../../config/trust';

/** The worker's rules as this shell's environment sets them: `validate` applies them as a worker with it would. */
export function shellTrust(env: NodeJS.ProcessEnv = process.env): WorkerTrust {
  return workerTrust(loadRuntimeConfig(env));
}

export const TRUST_NOTE =
  'Secret references and hosts were checked with the PENDOFLOW_SECRET_ENV_ALLOW, PENDOFLOW_SECRET_FILE_DIRS and ' +
  'PENDOFLOW_ALLOWED_HOSTS of this shell; each worker applies its own when it runs the config.';

/** Throws a ConfigError of `problems` (with the note), so `validate` reports them like any other problem. */
export function assertTrusted(source: string, problems: ConfigProblem[]): void {
  if (problems.length === 0) return;
  const err = new ConfigError(source, problems);
  err.message += `\n${TRUST_NOTE}`;
  throw err;
}
