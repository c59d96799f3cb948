import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome'];

export const NO_CHROMIUM =
  "no Chromium for the browser suite. Run `npm run setup` (it installs Debian's `chromium` with apt-get where it can), " +
  "or install it yourself (`sudo apt-get install -y chromium`, or your system's Chromium or Google Chrome), " +
  'or set PENDOFLOW_CHROMIUM to a Chromium executable';

/** The Chromium the suite drives: PENDOFLOW_CHROMIUM, the one scripts/setup recorded, or the first on PATH. */
export function chromiumPath(): string {
  const fromEnv = process.env.PENDOFLOW_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PENDOFLOW_CHROMIUM=${fromEnv} does not exist; ${NO_CHROMIUM}`);
    return fromEnv;
  }
  const recorded = join(ROOT, '.tools', 'chromium-path');
  if (existsSync(recorded)) {
    const path = readFileSync(recorded, 'utf8').trim();
    if (path && existsSync(path)) return path;
  }
  for (const name of ON_PATH) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on PATH
    }
  }
  throw new Error(NO_CHROMIUM);
}
