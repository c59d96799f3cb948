import { type Managed, startPendoflow } from '../../scripts/demo/processes';

export type WorkerProcess = Managed;

/** Runs `pendoflow worker` as a separate process and resolves once it polls. */
export function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  return startPendoflow('worker', ['worker'], /worker polling/, env);
}
