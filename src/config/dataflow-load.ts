import { defaultNames } from '../workflows/dataflow/names';
import type { DataflowSpec } from '../workflows/dataflow/types';
import { DataflowConfigSchema } from './dataflow-schema';
import { ConfigError, readConfigDocument } from './load';

/** Parses a YAML or JSON dataflow file; every problem is reported with its path. */
export function loadDataflowFile(file: string): DataflowSpec {
  return parseDataflowDocument(readConfigDocument(file), file);
}

/** Validates a parsed document and fills in the deterministic default names. */
export function parseDataflowDocument(doc: unknown, source: string): DataflowSpec {
  const parsed = DataflowConfigSchema.safeParse(doc);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => ({
        path: i.path.length ? i.path.map(String).join('.') : '(top level)',
        message: i.message,
      })),
    );
  }
  const c = parsed.data;
  const names = defaultNames(c.name);
  return {
    name: c.name,
    description: c.description,
    aep: {
      imsUrl: c.imsUrl,
      platformUrl: c.platformUrl,
      orgId: c.orgId,
      sandbox: c.sandbox,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    },
    flowName: c.flowName ?? names.flowName,
    account: {
      name: c.account.name ?? names.accountName,
      description: c.account.description ?? 'Pendo webhook events.',
    },
    schemaTitle: c.target.schema ?? names.schemaTitle,
    datasetName: c.target.dataset ?? names.datasetName,
    mappings: c.mappings,
    monitorIntervalMs: c.monitorInterval,
  };
}
