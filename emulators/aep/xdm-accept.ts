import { xdmError, xdmPlainError } from './errors';
import { header, type EmuRequest } from './http';

const FORMATS = ['xed', 'xed-full', 'xed-notext', 'xed-full-notext', 'xed-full-desc', 'xed-deprecatefield'];

export interface AcceptFormat {
  /** e.g. `xed-full` */
  format: string;
  version?: string;
}

/**
 * Accept rules of the Schema Registry: GETs need `application/vnd.adobe.xed…+json` (or `xdm…`);
 * lists take `xed-id` or `xed`, single lookups any full format with `version=1`.
 */
export function parseAccept(req: EmuRequest, single: boolean): AcceptFormat {
  const accept = header(req, 'accept') ?? '';
  const m = /^application\/vnd\.adobe\.(x(?:ed|dm)[a-z-]*)\+json\s*(?:;\s*version\s*=\s*([\w.]+))?\s*$/i.exec(
    accept.trim(),
  );
  if (!m) {
    throw xdmError(
      1006,
      400,
      'Accept header invalid',
      `The supplied Accept header is not valid: ${accept || '(none)'} - A valid Accept value should look like application/vnd.adobe.{xed|xdm}+json`,
    );
  }
  // Adobe takes `xdm` wherever it takes `xed` (its own error text offers both).
  const format = (m[1] ?? '').toLowerCase().replace(/^xdm/, 'xed');
  const version = m[2];
  if (!single) {
    if (format !== 'xed-id' && format !== 'xed')
      throw xdmPlainError(406, 'NotAcceptableError', `Unknown Accept media supplied: ${accept}`);
    return { format, version };
  }
  if (!FORMATS.includes(format))
    throw xdmPlainError(406, 'NotAcceptableError', `Unknown Accept media supplied: ${accept}`);
  if (!version) {
    throw xdmError(
      1007,
      400,
      'Accept header invalid',
      'version must be supplied in the accept header. Example: application/vnd.adobe.xed-full-notext+json; version=1',
    );
  }
  // Only major version 1 exists; it always resolves to the latest minor version.
  if (version.split('.')[0] !== '1')
    throw xdmPlainError(406, 'NotAcceptableError', `Unknown Accept format available: version=${version}`);
  return { format, version };
}
