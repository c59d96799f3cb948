import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeConfig } from '../../../config/runtime';
import { statusTable } from '../../format/status-table';
import { queryStatus } from './control';

/** `pendoflow capture status NAME [--watch] [--json]` */
export async function statusCommand(
  name: string,
  runtime: RuntimeConfig,
  opts: { json: boolean; watch: boolean; intervalMs?: number },
): Promise<number> {
  for (;;) {
    const status = await queryStatus(name, runtime);
    if (opts.json) console.log(JSON.stringify(status, null, 2));
    else {
      if (opts.watch && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      console.log(statusTable(status));
    }
    const dead = status.bindings.some((b) => b.state === 'failed' || b.state === 'terminated');
    if (!opts.watch || status.state === 'stopped') return dead ? 1 : 0;
    await sleep(opts.intervalMs ?? 2000);
  }
}
