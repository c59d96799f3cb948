import { isAbsolute, normalize, resolve, sep } from 'node:path';

/** What a worker lets a secret reference from a config read: set by its operator, never by a config. */
export interface SecretRules {
  /** Variable names, or prefixes ending in `*`, that `env:` may name. */
  envAllow: readonly string[];
  /** Absolute folders that `file:` paths must lie under (real paths, after symlinks). */
  fileDirs: readonly string[];
}

export const DEFAULT_ENV_ALLOW: readonly string[] = ['PENDO_*', 'AEP_*'];

/** pendoflow's own settings: never resolvable, whatever the allow-list says. */
export const RESERVED_ENV_PREFIXES: readonly string[] = ['PENDOFLOW_', 'TEMPORAL_'];

export const ENV_ALLOW_SETTING = 'PENDOFLOW_SECRET_ENV_ALLOW';
export const FILE_DIRS_SETTING = 'PENDOFLOW_SECRET_FILE_DIRS';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `PENDO_*,AEP_*,MY_KEY`; unset means the default prefixes. A problem names the bad entry. */
export function parseEnvAllow(value: string | undefined): string[] {
  const entries = value === undefined || value.trim() === '' ? [...DEFAULT_ENV_ALLOW] : list(value);
  for (const entry of entries) {
    if (!/^(\*|[A-Za-z_][A-Za-z0-9_]*\*?)$/.test(entry)) {
      throw new Error(`'${entry}' is not a variable name or a prefix ending in * (such as PENDO_*)`);
    }
  }
  return entries;
}

/** `/run/secrets,/etc/pendoflow`; unset means none, so `file:` references are refused. */
export function parseFileDirs(value: string | undefined): string[] {
  return list(value).map((dir) => {
    if (!isAbsolute(dir)) throw new Error(`'${dir}' is not an absolute path`);
    return normalize(dir).replace(/(.)\/+$/, '$1');
  });
}

export function secretRules(env: { envAllow?: string; fileDirs?: string }): SecretRules {
  return { envAllow: parseEnvAllow(env.envAllow), fileDirs: parseFileDirs(env.fileDirs) };
}

const matches = (name: string, pattern: string) =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

/** Why `env:NAME` is refused, or undefined when the rules allow it. */
export function envNameProblem(name: string, rules: SecretRules): string | undefined {
  if (RESERVED_ENV_PREFIXES.some((p) => name.startsWith(p))) {
    return `is not allowed: pendoflow's own settings (${RESERVED_ENV_PREFIXES.map((p) => `${p}*`).join(', ')}) are never secrets of a config`;
  }
  if (!rules.envAllow.some((p) => matches(name, p))) {
    return `is not allowed: the worker resolves only ${rules.envAllow.join(', ')} (set ${ENV_ALLOW_SETTING} on the worker)`;
  }
  return undefined;
}

export const under = (path: string, dir: string): boolean =>
  path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);

/**
 * Why `file:PATH` is refused by its spelling alone, or undefined when it lies under an allowed folder. Reads
 * nothing, so it says nothing about whether the file exists; symlinks are checked when the file is read.
 */
export function filePathProblem(path: string, rules: SecretRules): string | undefined {
  if (path.startsWith('//')) return 'is a URL: write file:/absolute/path, not file://';
  if (!isAbsolute(path)) return 'must be an absolute path, such as file:/run/secrets/pendo';
  if (rules.fileDirs.length === 0) {
    return `is not allowed: the worker reads no secret files (set ${FILE_DIRS_SETTING} on the worker)`;
  }
  if (!rules.fileDirs.some((d) => under(resolve(path), d))) {
    return `is not allowed: the worker reads secret files only under ${rules.fileDirs.join(', ')} (${FILE_DIRS_SETTING})`;
  }
  return undefined;
}

/** Why a reference is refused by the rules, without reading anything; undefined when allowed or inline. */
export function secretRefProblem(ref: string, rules: SecretRules): string | undefined {
  if (ref.startsWith('env:')) {
    const problem = envNameProblem(ref.slice(4), rules);
    return problem && `environment variable ${ref.slice(4)} (from '${ref}') ${problem}`;
  }
  if (ref.startsWith('file:')) {
    const problem = filePathProblem(ref.slice(5), rules);
    return problem && `secret file ${ref.slice(5)} (from '${ref}') ${problem}`;
  }
  return undefined;
}
