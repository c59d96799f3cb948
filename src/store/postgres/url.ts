/** A PostgreSQL store URL with its password replaced by `***`, safe to log or print. */
export function maskStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://***';
  }
}

/** Whether a setting names a PostgreSQL store (`postgres://` or `postgresql://`). */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** What is wrong with a PostgreSQL URL, or undefined; never echoes the URL, which may hold a password. */
export function postgresUrlProblem(value: string): string | undefined {
  if (!isPostgresUrl(value)) return 'must be a postgres:// or postgresql:// URL (unset: local files)';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'is not a valid URL (percent-encode special characters of the user and password)';
  }
  if (!parsed.hostname) return 'names no host (postgres://user:password@host:5432/database)';
  if (parsed.pathname.length <= 1) return 'names no database (postgres://user:password@host:5432/database)';
  return undefined;
}
