import { REGIONS, type Region } from '../workflows/capture/types';

/** The regional API hosts; a key works only against its own region (another region answers 400). */
export const REGION_HOSTS: Readonly<Record<Region, string>> = {
  us: 'https://app.pendo.io',
  us1: 'https://us1.app.pendo.io',
  eu: 'https://app.eu.pendo.io',
  jpn: 'https://app.jpn.pendo.io',
  au: 'https://app.au.pendo.io',
};

export const HOST_URLS = Object.values(REGION_HOSTS) as [string, ...string[]];

export function regionOfHost(host: string): Region | undefined {
  const normalized = host.replace(/\/+$/, '');
  return REGIONS.find((r) => REGION_HOSTS[r] === normalized);
}

/** Keys end in a region suffix such as `.eu`; a key without one belongs to the US region. */
export function regionOfKey(key: string): Region {
  const suffix = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return key.includes('.') && (REGIONS as readonly string[]).includes(suffix) ? (suffix as Region) : 'us';
}
