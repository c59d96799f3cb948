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
      parsed.error.issues.map((issue) => ({
        path: issue.path.length ? issue.path.map(String).join('.') : '(top level)',
        message: issue.message,
      })),
    );
  }
  const config = parsed.data;
  const names = defaultNames(config.name);
  return {
    name: config.name,
    description: config.description,
    aep: {
      imsUrl: config.imsUrl,
      platformUrl: config.platformUrl,
      orgId: config.orgId,
      sandbox: config.sandbox,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    },
    flowName: config.flowName ?? names.flowName,
    account: {
      name: config.account.name ?? names.accountName,
      description: config.account.description ?? 'Pendo webhook events.',
    },
    schemaTitle: config.target.schema ?? names.schemaTitle,
    datasetName: config.target.dataset ?? names.datasetName,
    mappings: config.mappings,
    monitorIntervalMs: config.monitorInterval,
  };
}
