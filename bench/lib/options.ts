import { parseArgs } from 'node:util';

export interface NumberOption {
  /** Environment variable read when the flag is absent. */
  env: string;
  default: number;
  help: string;
}

/**
 * Reads numeric `--flag value` options, then their environment variables, then the defaults.
 * `--help` prints the options and exits; an unknown flag or a value that is not a number fails.
 */
export function numberOptions<K extends string>(
  usage: string,
  spec: Record<K, NumberOption>,
  argv = process.argv.slice(2),
): Record<K, number> {
  const names = Object.keys(spec) as K[];
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: 'boolean' },
      ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    },
  });
  if (values.help) {
    const lines = names.map(
      (n) => `  --${n.padEnd(16)} ${spec[n].help} (default ${spec[n].default}, env ${spec[n].env})`,
    );
    console.log(`${usage}\n\noptions:\n${lines.join('\n')}`);
    process.exit(0);
  }
  const out = {} as Record<K, number>;
  for (const n of names) {
    const raw = (values as Record<string, string | undefined>)[n] ?? process.env[spec[n].env];
    const value = raw === undefined || raw === '' ? spec[n].default : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${n} must be a non-negative number, got '${raw}'`);
    out[n] = value;
  }
  return out;
}
