import { loadDataflowFile } from '../../../config/dataflow-load';
import { ConfigError } from '../../../config/load';
import { loadPipelineFile } from '../../../config/pipeline-load';
import { displaySecret } from '../../../config/secrets';
import { aepTargetProblems, pendoEndpointProblems, type WorkerTrust } from '../../../config/trust';
import { assertTrusted, shellTrust } from './trust-check';

/** Loads, checks the rules, prints the summary or the problems; 0 when valid. */
function validateWith(file: string, json: boolean, load: () => Record<string, unknown>): number {
  let summary: Record<string, unknown>;
  try {
    summary = load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (json) console.log(JSON.stringify({ ok: false, problems: err.problems }, null, 2));
    else console.error(err.message);
    return 1;
  }
  if (json) console.log(JSON.stringify({ ok: true, ...summary }, null, 2));
  else console.log(`${String(summary.name)}: valid`);
  return 0;
}

/** `pendoflow dataflow validate -f FILE`: the file's problems, and references and hosts a worker would refuse. */
export function dataflowValidateCommand(file: string, opts: { json: boolean }, trust: WorkerTrust = shellTrust()) {
  return validateWith(file, opts.json, () => {
    const spec = loadDataflowFile(file);
    assertTrusted(file, aepTargetProblems(spec.aep, trust));
    return { name: spec.name, sandbox: spec.aep.sandbox, clientSecret: displaySecret(spec.aep.clientSecret) };
  });
}

/** `pendoflow pipeline validate -f FILE`: as `dataflow validate` and `capture validate --no-check`, for both parts. */
export function pipelineValidateCommand(file: string, opts: { json: boolean }, trust: WorkerTrust = shellTrust()) {
  return validateWith(file, opts.json, () => {
    const spec = loadPipelineFile(file);
    assertTrusted(file, [
      ...aepTargetProblems(spec.dataflow.aep, trust, 'dataflow.'),
      ...pendoEndpointProblems(spec.capture.endpoint, trust, 'capture.endpoint.'),
    ]);
    return {
      name: spec.name,
      clientSecret: displaySecret(spec.dataflow.aep.clientSecret),
      accessToken: displaySecret(spec.capture.endpoint.accessToken),
    };
  });
}
