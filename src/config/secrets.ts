import { readFileSync } from 'node:fs';

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

/** Resolves `env:NAME`, `file:PATH` (trimmed) or an inline value. The error names the reference, never a value. */
export function resolveSecret(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  const source = secretSource(ref);
  if (source === 'env') {
    const name = ref.slice(4);
    const value = env[name];
    if (!value) throw new SecretResolutionError(`environment variable ${name} (from '${ref}') is not set`);
    return value.trim();
  }
  if (source === 'file') {
    const path = ref.slice(5);
    try {
      return readFileSync(path, 'utf8').trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new SecretResolutionError(`secret file ${path} (from '${ref}') cannot be read: ${code}`);
    }
  }
  return ref;
}

/** References are safe to show; inline values are not. */
export function displaySecret(ref: string): string {
  return secretSource(ref) === 'inline' ? MASK : ref;
}
