import { randomBytes } from 'node:crypto';
import type { Emulator } from './context';
import { EmuError, header, type EmuRequest, type EmuResponse } from './http';

/** The scope list AEP credentials carry (Adobe's Postman environment and streaming-connect use the same). */
export const AEP_SCOPES = [
  'openid',
  'session',
  'AdobeID',
  'read_organizations',
  'additional_info.projectedProductContext',
];

const oauthError = (status: number, error: string, description: string): EmuError =>
  new EmuError(status, { error, error_description: description });

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** `POST /ims/token/v3`: OAuth server-to-server client-credentials grant. */
export function handleIms(req: EmuRequest, emu: Emulator): EmuResponse {
  if (req.method !== 'POST') throw oauthError(405, 'method_not_allowed', 'Use POST');
  const contentType = header(req, 'content-type') ?? '';
  if (req.body.length > 0 && !contentType.startsWith('application/x-www-form-urlencoded')) {
    throw oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  // Parameters may come as body or query; the body wins.
  const params = new URLSearchParams(req.query);
  for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);

  const { settings } = emu;
  if (params.get('grant_type') !== 'client_credentials') {
    throw oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  const clientId = params.get('client_id');
  if (!clientId) throw oauthError(400, 'invalid_request', 'missing client_id parameter');
  if (clientId !== settings.clientId) throw oauthError(400, 'invalid_client', 'invalid client_id parameter');
  if (params.get('client_secret') !== settings.clientSecret) {
    throw oauthError(401, 'invalid_client', 'invalid client_secret parameter');
  }
  const scope = params.get('scope');
  if (!scope) throw oauthError(400, 'invalid_scope', 'missing scope parameter');
  const unknown = scope.split(',').filter((s) => !AEP_SCOPES.includes(s.trim()));
  if (unknown.length > 0) throw oauthError(400, 'invalid_scope', `invalid scope (${unknown.join(',')})`);

  const now = Date.now();
  const token = [
    b64url({ alg: 'RS256', typ: 'JWT', x5u: 'ims_na1-key-at-1.cer' }),
    b64url({ client_id: clientId, org: settings.orgId, type: 'access_token', created_at: now }),
    randomBytes(24).toString('base64url'),
  ].join('.');
  emu.store.tokens.set(token, { clientId, orgId: settings.orgId, expiresAt: now + settings.tokenTtlMs });
  emu.store.tokensIssued += 1;
  return {
    status: 200,
    body: { access_token: token, token_type: 'bearer', expires_in: Math.max(1, Math.ceil(settings.tokenTtlMs / 1000)) },
  };
}
