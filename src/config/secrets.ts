import { readFileSync, realpathSync, statSync } from 'node:fs';
import { secretRefProblem, under, type SecretRules } from './secret-rules';

/** What everything user-facing shows instead of a secret. */
export const MASK = '***';

export type SecretSource = 'env' | 'file' | 'inline';

export function secretSource(ref: string): SecretSource {
  if (ref.startsWith('env:')) return 'env';
  if (ref.startsWith('file:')) return 'file';
  return 'inline';
}

export class SecretResolutionError extends Error {
  override name = 'SecretResolutionError';
}

/** Secrets are short; a bigger file is refused rather than read. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

const realDir = (dir: string): string | undefined => {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
};

/** Reads a secret file; one message for every failure, so it never tells whether a path exists. */
function readSecretFile(path: string, ref: string, dirs: readonly string[] | 'any'): string {
  try {
    const real = realpathSync(path);
    const inside =
      dirs === 'any' ||
      dirs.some((dir) => {
        const realPath = realDir(dir);
        return realPath !== undefined && under(real, realPath);
      });
    const stat = statSync(real);
    if (inside && stat.isFile() && stat.size <= MAX_SECRET_FILE_BYTES) return readFileSync(real, 'utf8').trim();
  } catch {
    // the same answer as a refusal, below
  }
  throw new SecretResolutionError(`secret file ${path} (from '${ref}') is not readable or not allowed on this worker`);
}

function readEnv(name: string, ref: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value) throw new SecretResolutionError(`environment variable ${name} (from '${ref}') is not set`);
  return value.trim();
}

/**
 * Resolves a reference from a config (`env:NAME`, `file:PATH`, trimmed) within the worker's rules, or returns an
 * inline value. `file:` paths are resolved to their real path, so `..` and symlinks cannot leave the allowed
 * folders. The error names the reference, never a value.
 */
export function resolveSecret(ref: string, rules: SecretRules, env: NodeJS.ProcessEnv = process.env): string {
  const problem = secretRefProblem(ref, rules);
  if (problem) throw new SecretResolutionError(problem);
  const source = secretSource(ref);
  if (source === 'env') return readEnv(ref.slice(4), ref, env);
  if (source === 'file') return readSecretFile(ref.slice(5), ref, rules.fileDirs);
  return ref;
}

/** Resolves a reference in the operator's own settings (the codec key): any variable or file of the process. */
export function resolveOperatorSecret(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  const source = secretSource(ref);
  if (source === 'env') return readEnv(ref.slice(4), ref, env);
  if (source === 'file') return readSecretFile(ref.slice(5), ref, 'any');
  return ref;
}

/** References are safe to show; inline values are not. */
export function displaySecret(ref: string): string {
  return secretSource(ref) === 'inline' ? MASK : ref;
}
