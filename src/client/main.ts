import { Command, Option } from 'commander';
import { loadRuntimeConfig } from '../config/runtime';
import { validateCommand } from './commands/capture/validate';
import { controlCommand, reconfigureCommand, startCommand } from './commands/capture/control';
import { statusCommand } from './commands/capture/status';
import { exportCommand } from './commands/common/collections';
import {
  pipelineReplayCommand,
  pipelineSignalCommand,
  pipelineStartCommand,
  pipelineStatusCommand,
} from './commands/pipeline/control';
import { codecServerCommand, type CodecServerCommandOptions } from './commands/common/codec-server';
import { pipelineValidateCommand } from './commands/common/config-validate';
import { registerDataflowCommands } from './commands/dataflow/cli';
import { runWorker } from '../worker';

const program = new Command('pendoflow')
  .description('Durable Pendo capture and AEP dataflows on Temporal.')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nAlso: pendoflow emulator <pendo|aep> [options], pendoflow demo [--once]\n' +
      "Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE (Temporal's\n" +
      'environment configuration), PENDOFLOW_TASK_QUEUE, PENDOFLOW_DATA_DIR, PENDOFLOW_ENCRYPTION_KEY,\n' +
      '  PENDOFLOW_SECRET_ENV_ALLOW, PENDOFLOW_SECRET_FILE_DIRS, PENDOFLOW_ALLOWED_HOSTS',
  );

const run = (fn: () => Promise<number>) => async () => {
  process.exitCode = await fn();
};

const captureCmd = program.command('capture').description('Start, watch and control Pendo captures.');
captureCmd
  .command('validate')
  .description('Check a capture file (pendoflow or Estuary format) and its key against the Pendo API.')
  .requiredOption('-f, --file <file>', 'YAML or JSON capture file')
  .option('--no-check', 'skip the live key check')
  .option('--json', 'machine-readable output', false)
  .action((opts: { file: string; check: boolean; json: boolean }) => run(() => validateCommand(opts.file, opts))());
captureCmd
  .command('start')
  .description('Start the captures of a file; one already running is left unchanged.')
  .requiredOption('-f, --file <file>', 'YAML or JSON capture file')
  .action((opts: { file: string }) => run(() => startCommand(opts.file, loadRuntimeConfig()))());
captureCmd
  .command('status <name>')
  .description("A capture's bindings: state, cursor, backfill, documents, lag and errors.")
  .option('--json', 'machine-readable output', false)
  .option('-w, --watch', 'refresh every 2 seconds until the capture stops', false)
  .action((name: string, opts: { json: boolean; watch: boolean }) =>
    run(() => statusCommand(name, loadRuntimeConfig(), opts))(),
  );
captureCmd
  .command('reconfigure <name>')
  .description('Apply the bindings and settings of a file to a running capture.')
  .requiredOption('-f, --file <file>', 'YAML or JSON capture file')
  .action((name: string, opts: { file: string }) =>
    run(() => reconfigureCommand(name, opts.file, loadRuntimeConfig()))(),
  );
for (const verb of ['pause', 'resume', 'stop'] as const) {
  captureCmd
    .command(`${verb} <name>`)
    .description(`${verb[0]?.toUpperCase()}${verb.slice(1)} every binding of a capture.`)
    .option('--reason <text>', 'recorded with the signal')
    .action((name: string, opts: { reason?: string }) =>
      run(() => controlCommand(verb, name, loadRuntimeConfig(), opts.reason))(),
    );
}

registerDataflowCommands(program);

const pipelineCmd = program
  .command('pipeline')
  .description('Pendo into AEP: a dataflow and a capture streaming into its inlet.');
pipelineCmd
  .command('validate')
  .description("Check a pipeline file, and its secret references and hosts against this shell's worker settings.")
  .requiredOption('-f, --file <file>', 'YAML or JSON pipeline file')
  .option('--json', 'machine-readable output', false)
  .action((opts: { file: string; json: boolean }) => run(async () => pipelineValidateCommand(opts.file, opts))());
pipelineCmd
  .command('start')
  .description('Provision (or adopt) the dataflow of a pipeline file, then capture into its inlet.')
  .requiredOption('-f, --file <file>', 'YAML or JSON pipeline file')
  .action((opts: { file: string }) => run(() => pipelineStartCommand(opts.file, loadRuntimeConfig()))());
pipelineCmd
  .command('status <name>')
  .description(
    "A pipeline's dataflow (phase, inlet, runs), deliveries (delivered, dead-lettered, pending) and capture.",
  )
  .option('--json', 'machine-readable output', false)
  .action((name: string, opts: { json: boolean }) =>
    run(() => pipelineStatusCommand(name, loadRuntimeConfig(), opts))(),
  );
pipelineCmd
  .command('replay-dead-letters <name>')
  .description('Send the messages the inlet refused one by one to it again, once fixed; accepted ones leave the store.')
  .action((name: string) => run(() => pipelineReplayCommand(name, loadRuntimeConfig()))());
for (const verb of ['stop', 'delete'] as const) {
  pipelineCmd
    .command(`${verb} <name>`)
    .description(
      verb === 'stop'
        ? 'Stop the capture; the dataflow stays.'
        : 'Stop the capture, then delete the dataflow (also of a pipeline already stopped).',
    )
    .action((name: string) => run(() => pipelineSignalCommand(verb, name, loadRuntimeConfig()))());
}

program
  .command('collections')
  .description('Read the local collections.')
  .command('export <collection>')
  .description('Print the current documents of <capture>/<Resource> as JSONL, one per key.')
  .action((collection: string) => run(() => exportCommand(collection, loadRuntimeConfig()))());

program
  .command('codec-server')
  .description('Serve the Temporal UI codec endpoint, decoding payloads with PENDOFLOW_ENCRYPTION_KEY.')
  .option('--port <port>', 'port to listen on', (v) => Number(v), 8888)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--cors-origin <url...>', 'Temporal UI origins allowed to call it', [
    'http://localhost:8233',
    'http://localhost:8080',
  ])
  .option(
    '--auth-token <ref>',
    'require "Authorization: Bearer <token>"; a reference (env:NAME, file:PATH) or the token',
    process.env.PENDOFLOW_CODEC_AUTH_TOKEN,
  )
  .option('--namespace <name...>', 'namespaces whose X-Namespace it serves (default TEMPORAL_NAMESPACE)')
  .action((opts: CodecServerCommandOptions) => run(() => codecServerCommand(loadRuntimeConfig(), opts))());

program
  .command('worker')
  .description('Run a worker against TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE until SIGINT or SIGTERM.')
  .addOption(new Option('--task-queue <name>', 'task queue to poll (default PENDOFLOW_TASK_QUEUE or pendo-capture)'))
  .action((opts: { taskQueue?: string }) => {
    const runtime = loadRuntimeConfig();
    return runWorker(opts.taskQueue ? { ...runtime, taskQueue: opts.taskQueue } : runtime);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`pendoflow: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
