import { z } from 'zod';
import type { PipelineSpec } from '../workflows/pipeline/types';
import { IntervalSchema } from './capture-schema';
import { parseDataflowDocument } from './dataflow-load';
import { ConfigError, parseCaptureDocument, readConfigDocument } from './load';

const PipelineFileSchema = z.object({
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
      'must start with a letter or digit and use only letters, digits, . _ -',
    ),
  dataflow: z.record(z.string(), z.unknown()),
  capture: z.record(z.string(), z.unknown()),
  monitorInterval: IntervalSchema.default(15_000),
});

/** Runs `parse`, reporting its problems under `prefix` so every path points into the pipeline file. */
function within<Value>(prefix: string, source: string, parse: () => Value): Value {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(
      source,
      err.problems.map((p) => ({ path: `${prefix}.${p.path}`, message: p.message })),
    );
  }
}

/**
 * A pipeline file: `{name, dataflow: <dataflow file>, capture: <capture file>, monitorInterval?}`. The dataflow
 * and the capture take the pipeline's name. The capture defaults to settledOnly late data, because the AEP data
 * lake is append-only.
 */
export function parsePipelineDocument(doc: unknown, source: string, now = Date.now()): PipelineSpec {
  const parsed = PipelineFileSchema.safeParse(doc);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(top level)', message: i.message })),
    );
  }
  const { name, monitorInterval } = parsed.data;
  const dataflow = within('dataflow', source, () => parseDataflowDocument({ ...parsed.data.dataflow, name }, source));
  const captureDoc = { lateData: { mode: 'settledOnly' }, ...parsed.data.capture, name };
  const [capture] = within('capture', source, () => parseCaptureDocument(captureDoc, source, now));
  if (!capture) throw new ConfigError(source, [{ path: 'capture', message: 'is required' }]);
  return { name, dataflow, capture, monitorIntervalMs: monitorInterval };
}

export function loadPipelineFile(file: string, now = Date.now()): PipelineSpec {
  return parsePipelineDocument(readConfigDocument(file), file, now);
}
