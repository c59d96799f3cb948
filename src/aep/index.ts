import type { AxiosInstance } from 'axios';
import { CatalogClient } from './catalog';
import type { AepClientConfig, AepClientOptions } from './config';
import { DataPrepClient } from './data-prep';
import { FlowServiceClient } from './flow-service';
import { AepHttp } from './http';
import { ImsTokenProvider, type ImsTokenCache } from './ims-token';
import { InletClient } from './inlet';
import { SchemaRegistryClient } from './schema-registry';

export * from './catalog';
export * from './config';
export * from './constants';
export * from './data-prep';
export { AepErrorTypes, AEP_NON_RETRYABLE_ERROR_TYPES, type AepErrorType } from '../workflows/common/errors';
export * from './errors';
export * from './flow-service';
export * from './flow-service-requests';
export * from './http';
export * from './ims-token';
export * from './inlet';
export * from './schema-registry';
export * from './xdm-bodies';

export interface AepClients {
  tokens: ImsTokenProvider;
  schemaRegistry: SchemaRegistryClient;
  catalog: CatalogClient;
  dataPrep: DataPrepClient;
  flowService: FlowServiceClient;
  inlet: InletClient;
}

/** Builds every AEP client over one token provider (tokens come from the process-wide cache by default). */
export function createAepClients(
  config: AepClientConfig,
  options: AepClientOptions & { tokenCache?: ImsTokenCache; axios?: AxiosInstance } = {},
): AepClients {
  const tokens = new ImsTokenProvider(config, {
    cache: options.tokenCache,
    timeoutMs: options.timeoutMs,
    refreshMarginMs: options.refreshMarginMs,
    axios: options.axios,
  });
  const http = new AepHttp(config, tokens, { timeoutMs: options.timeoutMs, axios: options.axios });
  return {
    tokens,
    schemaRegistry: new SchemaRegistryClient(http),
    catalog: new CatalogClient(http),
    dataPrep: new DataPrepClient(http),
    flowService: new FlowServiceClient(http),
    inlet: new InletClient({ timeoutMs: options.timeoutMs, axios: options.axios }),
  };
}
