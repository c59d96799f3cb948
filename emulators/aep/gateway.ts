import type { Emulator, Principal } from './context';
import { gatewayError, flowError } from './errors';
import { header, type EmuRequest } from './http';
import type { SandboxState } from './store';

/**
 * The Adobe I/O gateway in front of platform.adobe.io: bearer token, API key (= client id) and org header.
 * A `token-expiry` fault expires every issued token at the matching request.
 */
export function authenticate(req: EmuRequest, emu: Emulator): Principal {
  const auth = header(req, 'authorization');
  if (!auth) throw gatewayError(403, '403010', 'Oauth token is missing');
  const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
  const info = emu.store.tokens.get(token);
  if (info && emu.faults.fire('token-expiry', { method: req.method, path: req.path })) emu.store.expireAllTokens();
  if (!info || info.expiresAt <= Date.now()) throw gatewayError(401, '401013', 'Oauth token is not valid');

  const apiKey = header(req, 'x-api-key');
  if (!apiKey) throw gatewayError(403, '403000', 'Api Key is required');
  if (apiKey !== info.clientId) throw gatewayError(403, '403003', 'Api Key is invalid');

  const org = header(req, 'x-gw-ims-org-id');
  if (!org) throw gatewayError(400, '400003', 'Missing header');
  if (org !== info.orgId) throw gatewayError(403, '403025', 'Profile is not valid');
  return { clientId: info.clientId, orgId: info.orgId };
}

const SANDBOX_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Resolves `x-sandbox-name`. Any lower-case name is a sandbox (created on first use), so tests can
 * isolate themselves; Flow Service insists on the header, the other APIs fall back to the default.
 */
export function resolveSandbox(req: EmuRequest, emu: Emulator, api: string): SandboxState {
  const name = header(req, 'x-sandbox-name');
  if (!name) {
    if (api === 'flowservice') {
      throw flowError(
        2105,
        400,
        'The header x-sandbox-name is missing in the request. Please add the header in the request and try again.',
      );
    }
    return emu.store.sandbox(emu.settings.defaultSandbox);
  }
  if (!SANDBOX_NAME.test(name)) {
    throw flowError(
      2100,
      404,
      `The sandbox with the name '${name}' could not be found. Please ensure that the sandbox name is correct and try again.`,
    );
  }
  return emu.store.sandbox(name);
}
