import { uuid } from './ids';
import { EmuError } from './http';

/** Adobe I/O gateway errors, raised before any service sees the request. */
export const gatewayError = (status: number, code: string, message: string): EmuError =>
  new EmuError(status, { error_code: code, message });

/** Flow Service titles and detail texts, as catalogued in Adobe's Flow Service error list. */
export const FLOW_TITLES: Record<number, string> = {
  1101: 'Resource not found',
  1102: 'Internal Error',
  1103: 'Service Unavailable',
  1104: 'Gateway Timeout',
  1401: 'Invalid request',
  1402: 'Invalid request',
  1403: 'Header is missing',
  1404: 'Version not matching',
  1405: 'Invalid request',
  1410: 'Invalid request',
  1412: 'Invalid request',
  1413: 'Invalid request',
  1414: 'Invalid request',
  1416: 'Invalid request',
  1418: 'Invalid request',
  1419: 'Invalid request',
  1422: 'Invalid request',
  1425: 'Invalid request',
  1433: 'Invalid request',
  1434: 'Invalid request',
  1439: 'Resource not found',
  1447: 'Invalid request',
  1450: 'Invalid request',
  1451: 'Invalid request',
  1452: 'Invalid request',
  1453: 'Invalid request',
  1455: 'Invalid request',
  2100: 'Sandbox not found',
  2105: 'Header is missing',
};

/** A Flow Service problem body: `type` ends in `FLOW-{code}-{status}`. */
export function flowError(code: number, status: number, detail: string, resourceType = 'flows'): EmuError {
  const title = FLOW_TITLES[code] ?? 'Invalid request';
  return new EmuError(status, {
    type: `https://ns.adobe.com/aep/errors/FLOW-${code}-${status}`,
    title,
    status,
    report: { 'detailed-message': detail, id: uuid(), 'request-id': uuid(), type: resourceType },
    errorMessage: detail,
    errorDetails: detail,
  });
}

/** A Schema Registry problem body: `type` is `http://ns.adobe.com/aep/errors/XDM-{code}-{status}`. */
export function xdmError(code: number, status: number, title: string, detail: string): EmuError {
  return new EmuError(status, {
    type: `http://ns.adobe.com/aep/errors/XDM-${code}-${status}`,
    title,
    status,
    report: {
      registryRequestId: uuid(),
      timestamp: new Date().toISOString(),
      'detailed-message': detail,
      'sub-errors': [],
    },
    detail,
  });
}

/** The older, code-less Schema Registry body still documented for generic 400/406 answers. */
export const xdmPlainError = (status: number, title: string, detail: string): EmuError =>
  new EmuError(status, { type: '/placeholder/type/uri', status, title, detail });

/** Catalog and Data Prep error bodies are undocumented; the spec recommends a problem shape. */
export const problem = (service: 'catalog' | 'conversion', status: number, title: string, detail: string): EmuError =>
  new EmuError(status, {
    type: `https://ns.adobe.com/aep/errors/${service}-${status}`,
    title,
    status,
    detail,
    report: { 'detailed-message': detail },
  });

/** DCS problem body (streaming inlet). */
export const dcsError = (status: number, kind: string, title: string, message: string): EmuError =>
  new EmuError(status, {
    type: `https://ns.adobe.com/adobecloud/problem/${kind}`,
    status,
    title,
    report: { message },
  });

/** The error an API answers with for an injected status fault. */
export function injectedError(api: string, status: number): EmuError {
  const detail = `Injected fault: HTTP ${status}.`;
  if (status === 429) return gatewayError(429, '429050', 'Too many requests');
  if (api === 'flowservice') {
    const code = status === 503 ? 1103 : status === 504 ? 1104 : 1102;
    return flowError(code, status, detail);
  }
  if (api === 'schemaregistry') return xdmPlainError(status, 'InternalServerError', detail);
  if (api === 'collection') return dcsError(status, 'data-collection-service', 'Service Unavailable', detail);
  if (api === 'ims') return new EmuError(status, { error: 'server_error', error_description: detail });
  return problem(api === 'catalog' ? 'catalog' : 'conversion', status, 'Service Unavailable', detail);
}
