import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAepEmulator, type AepEmulatorOptions } from './index';
import { parseFaultSpec } from './faults';

const USAGE = `usage: pendoflow emulator aep [--port P] [--host H] [--token-ttl MS] [--inlet-delay MS] [--faults SPEC]
                              [--client-id ID] [--client-secret S] [--org-id ORG] [--sandbox NAME]
                              [--data-dir DIR | --in-memory]

  --data-dir DIR  keep entities and inlet records here across restarts
                  (default $PENDOFLOW_DATA_DIR/aep-emulator, or .data/aep-emulator)
  --in-memory     keep nothing: every start is empty

  --faults SPEC   comma-separated rules KIND[:key=value...], KIND = an HTTP status (429, 500, 503...),
                  latency, token-expiry, etag-race, flow-create, reject-message or reject-batch. Examples:
                  503:times=2:path=/flows   429:retry-after=1   token-expiry:after=3   etag-race   flow-create:code=1425
                  403:times=4:path=/collection/batch   reject-message:match=<uniqueId>   reject-batch:match=<text>`;

const nonNegative = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`--${flag} must be a non-negative integer, got '${v}'`);
  return Number(v);
};

/** Parses the CLI flags into emulator options; throws with the usage text on bad input. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): AepEmulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'token-ttl': { type: 'string' },
      'inlet-delay': { type: 'string' },
      faults: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'org-id': { type: 'string' },
      sandbox: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const port = nonNegative('port', values.port);
  if (port !== undefined && port > 65535) throw new Error(`--port must be 0-65535, got ${port}`);
  if (values.faults) parseFaultSpec(values.faults);
  if (values['in-memory'] && values['data-dir']) throw new Error('--data-dir and --in-memory exclude each other');
  const dataDir = values['in-memory']
    ? undefined
    : (values['data-dir'] ?? join(env.PENDOFLOW_DATA_DIR || '.data', 'aep-emulator'));
  return {
    port,
    host: values.host,
    tokenTtlMs: nonNegative('token-ttl', values['token-ttl']),
    inletDelayMs: nonNegative('inlet-delay', values['inlet-delay']),
    faults: values.faults,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    orgId: values['org-id'],
    sandbox: values.sandbox,
    dataDir,
  };
}

/** `pendoflow emulator aep ...`: runs in the foreground until SIGINT or SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  let opts: AepEmulatorOptions | 'help';
  try {
    opts = parseCliArgs(argv);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (opts === 'help') {
    console.log(USAGE);
    return;
  }
  const emu = await startAepEmulator(opts);
  console.log(
    [
      `AEP emulator listening on ${emu.url}`,
      `  IMS token:      ${emu.imsUrl}/ims/token/v3`,
      `  Platform APIs:  ${emu.platformUrl}/data/foundation/{schemaregistry,catalog,conversion,flowservice}`,
      `  Inlets:         ${emu.inletBaseUrl}/{inletId}`,
      `  Inspection:     ${emu.url}/_emulator/`,
      `  client id:      ${emu.clientId}`,
      `  client secret:  ${emu.clientSecret}   (emulator-only credential)`,
      `  org id:         ${emu.orgId}`,
      `  sandbox:        ${emu.sandbox}`,
      `  state:          ${emu.dataDir ?? 'in memory (lost when it stops)'}`,
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emu.close();
  console.log('AEP emulator stopped');
}
