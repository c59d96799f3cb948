/** Integration keys and regions: a key's suffix names its region; each region is a path prefix. */
import { Rng, uuid } from './data/random';
import { json, text, type Reply } from './http';

export const REGIONS = ['us', 'us1', 'eu', 'jpn', 'au'] as const;
export type Region = (typeof REGIONS)[number];

export const REGION_HOSTS: Record<Region, string> = {
  us: 'app.pendo.io',
  us1: 'us1.app.pendo.io',
  eu: 'app.eu.pendo.io',
  jpn: 'app.jpn.pendo.io',
  au: 'app.au.pendo.io',
};

/** The region named by a key's suffix (`.us`, `.us1`, `.eu`, `.jpn`, `.au`), if any. */
export function keyRegion(key: string): Region | undefined {
  const suffix = key.slice(key.lastIndexOf('.') + 1);
  return key.includes('.') ? REGIONS.find((r) => r === suffix) : undefined;
}

/** One valid key per region, derived from the seed; `custom` replaces the key of its own region (US by default). */
export function deriveKeys(seed: number, custom?: string): { key: string; keys: Record<Region, string> } {
  const keys = {} as Record<Region, string>;
  for (const region of REGIONS) keys[region] = `${uuid(Rng.of(seed, 'key', region))}.${region}`;
  if (custom === undefined) return { key: keys.us, keys };
  if (custom.trim() === '') throw new Error('key must not be empty');
  keys[keyRegion(custom) ?? 'us'] = custom;
  return { key: custom, keys };
}

/** Parses `/eu/api/v1/page` into its region and API path; un-prefixed `/api/v1/...` is the US. */
export function splitRegion(pathname: string): { region: Region; apiPath: string } | undefined {
  const m = /^(?:\/(us|us1|eu|jpn|au))?(\/api\/v1(?:\/.*)?)$/.exec(pathname);
  if (!m || !m[2]) return undefined;
  return { region: (m[1] as Region | undefined) ?? 'us', apiPath: m[2] };
}

export class KeyRing {
  private readonly byKey = new Map<string, Region>();

  /** `wrongRegionStatus`: what a key used on another region's host gets; 400 is what Pendo answers. */
  constructor(
    keys: Record<Region, string>,
    private readonly wrongRegionStatus = 400,
  ) {
    for (const region of REGIONS) this.byKey.set(keys[region], region);
  }

  /** Undefined when the key may call `region`; otherwise the 403 (unknown key) or 400 (other region) reply. */
  check(header: string | string[] | undefined, region: Region): Reply | undefined {
    const key = (Array.isArray(header) ? header[0] : header)?.trim();
    if (!key) return json(403, { message: 'Missing x-pendo-integration-key header' });
    const home = this.byKey.get(key);
    if (!home) return json(403, { message: 'Invalid integration key' });
    if (home !== region) {
      return text(
        this.wrongRegionStatus,
        `This integration key belongs to the ${home} region (https://${REGION_HOSTS[home]}); ` +
          `it cannot be used with the ${region} region.`,
      );
    }
    return undefined;
  }

  region(key: string): Region | undefined {
    return this.byKey.get(key);
  }
}
