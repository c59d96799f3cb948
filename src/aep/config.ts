/** What every AEP client needs; parsed once by the config loader and passed in. */
export interface AepClientConfig {
  /** IMS host, e.g. `https://ims-na1.adobelogin.com` (the client appends `/ims/token/v3`). */
  imsUrl: string;
  /** Platform gateway, e.g. `https://platform.adobe.io` (the client appends `/data/foundation/...`). */
  platformUrl: string;
  /** `XXXX@AdobeOrg` */
  orgId: string;
  /** Also sent as `x-api-key`. */
  clientId: string;
  clientSecret: string;
  /** All lower-case, e.g. `prod`. */
  sandbox: string;
  scopes?: readonly string[];
}

export const AEP_PRODUCTION_URLS = {
  imsUrl: 'https://ims-na1.adobelogin.com',
  platformUrl: 'https://platform.adobe.io',
} as const;

/** The scope list of AEP server-to-server credentials (Adobe's Postman environment template). */
export const AEP_DEFAULT_SCOPES: readonly string[] = [
  'openid',
  'session',
  'AdobeID',
  'read_organizations',
  'additional_info.projectedProductContext',
];

/** Knobs shared by the clients; all optional. */
export interface AepClientOptions {
  /** Per-request timeout (default 30 s); keep it below the activity's startToCloseTimeout. */
  timeoutMs?: number;
  /** Refresh IMS tokens this long before they expire (default 5 min, at most half their lifetime). */
  refreshMarginMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
