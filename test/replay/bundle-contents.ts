import { builtinModules } from 'node:module';

/** What a webpack workflow bundle holds, read from the module ids and the banner comments webpack writes. */
export interface BundleContents {
  bytes: number;
  /** pendoflow's own modules, as `src/...` paths. */
  sources: string[];
  /** npm packages, by name. */
  packages: string[];
  /** Node built-ins, bundled or stubbed out. */
  builtins: string[];
}

const MODULE_ID = /^\/\*\*\*\/ "([^"]+)"$/gm;
const BANNER = /^ {2}!\*\*\* (.+?) \*\*\*!$/gm;
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function packageOf(path: string): string {
  const [first = '', second = ''] = path.split('node_modules/').at(-1)?.split('/') ?? [];
  return first.startsWith('@') ? `${first}/${second}` : first;
}

export function bundleContents(code: string): BundleContents {
  const ids = [...code.matchAll(MODULE_ID)].map((match) => match[1] ?? '');
  const names = [...code.matchAll(BANNER)].map((match) => (match[1] ?? '').replace(/ \(ignored\)$/, ''));
  const paths = [...new Set([...ids, ...names])];
  const sources = paths.filter((path) => !path.includes('node_modules/') && /(^|\/)src\//.test(path));
  return {
    bytes: Buffer.byteLength(code),
    sources: sources.map((path) => path.slice(path.indexOf('src/'))).sort(),
    packages: [...new Set(paths.filter((path) => path.includes('node_modules/')).map(packageOf))].sort(),
    builtins: paths.filter((path) => BUILTINS.has(path) || BUILTINS.has(path.split('/')[0] ?? '')).sort(),
  };
}
