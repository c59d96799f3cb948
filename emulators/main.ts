/** `pendoflow emulator <pendo|aep> [options]`: runs one emulator in the foreground until SIGINT or SIGTERM. */
import { main as aep } from './aep/cli';
import { main as pendo } from './pendo/cli';

const USAGE = 'usage: pendoflow emulator <pendo|aep> [options]   (add --help for the options of one)';

async function main(argv: string[]): Promise<void> {
  const [kind, ...rest] = argv;
  if (kind === 'pendo') return pendo(rest);
  if (kind === 'aep') return aep(rest);
  console.error(kind ? `unknown emulator '${kind}'\n${USAGE}` : USAGE);
  process.exitCode = 2;
}

main(process.argv.slice(3)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
