/** Seeded visitors and accounts, including anonymous visitors and ids that need filter escaping. */
import { Rng, randomId } from './random';

export interface Visitor {
  id: string;
  /** Empty for anonymous visitors. */
  accountId: string;
  remoteIp: string;
  webAgent: string;
  mobileAgent: string;
  country: string;
  region: string;
  latitude: number;
  longitude: number;
}

const COMPANIES = [
  'acme-corp',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'stark-industries',
  'wayne-enterprises',
  'wonka',
  'cyberdyne',
  'soylent',
  'tyrell',
  'massive-dynamic',
  'aperture',
  'black-mesa',
  'oscorp',
  'vandelay',
  'pied-piper',
  'dunder-mifflin',
  'prestige-worldwide',
  'gringotts',
  'monsters-inc',
  'nakatomi',
  'duff',
  'blue-sun',
  'weyland',
  'Epsilon united',
  'Northwind Traders',
  'Contoso Ltd',
];
/** Account ids a client must escape inside filter strings. */
const AWKWARD_ACCOUNTS = ['Quote "Q" Holdings', 'back\\slash partners'];

const FIRST = ['ana', 'ben', 'chloe', 'dev', 'emma', 'felix', 'gita', 'hiro', 'ines', 'jon', 'kai', 'lena', 'mo'];
const LAST = ['silva', 'chen', 'okafor', 'smith', 'müller', 'tanaka', 'garcia', 'novak', 'kim', 'rossi'];

const PLACES: readonly [string, string, number, number][] = [
  ['US', 'NC', 35.78, -78.64],
  ['US', 'CA', 37.77, -122.42],
  ['US', 'NY', 40.71, -74.01],
  ['GB', 'ENG', 51.51, -0.13],
  ['DE', 'BE', 52.52, 13.4],
  ['FR', 'IDF', 48.86, 2.35],
  ['JP', '13', 35.68, 139.69],
  ['AU', 'NSW', -33.87, 151.21],
  ['BR', 'SP', -23.55, -46.63],
  ['IN', 'KA', 12.97, 77.59],
  ['CA', 'ON', 43.65, -79.38],
];

const DESKTOP_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
];
const MOBILE_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];
const IP_PREFIXES = ['203.0.113', '198.51.100', '192.0.2'];

export const VISITOR_COUNT = 200;
const ANONYMOUS_COUNT = 28;

export interface People {
  accounts: string[];
  visitors: Visitor[];
}

function visitorId(rng: Rng, n: number, account: string): string {
  switch (n % 4) {
    case 0:
      return `user-${1000 + n}`;
    case 1:
      return `${rng.pick(FIRST)}.${rng.pick(LAST)}${n}@${account.replace(/[^a-z]/gi, '').toLowerCase() || 'corp'}.example`;
    case 2:
      return String(40_000 + n * 7);
    default:
      return `${account.slice(0, 4).toLowerCase()}-${n}`;
  }
}

/** About 200 visitors across 30 accounts; the same seed always gives the same people. */
export function generatePeople(seed: number): People {
  const rng = Rng.of(seed, 'people');
  const accounts = [...COMPANIES, ...AWKWARD_ACCOUNTS];
  const ids: [string, string][] = [
    ['o"brien@vandelay.example', 'vandelay'],
    ['CORP\\jdoe', 'back\\slash partners'],
    ['"><img src=x onerror=alert(1)>', 'Quote "Q" Holdings'],
    ['quote"and\\slash', 'acme-corp'],
  ];
  for (let n = ids.length; ids.length < VISITOR_COUNT - ANONYMOUS_COUNT; n++) {
    const account = rng.chance(0.15) ? rng.pick(accounts.slice(0, 4)) : rng.pick(accounts);
    ids.push([visitorId(rng, n, account), account]);
  }
  while (ids.length < VISITOR_COUNT) ids.push([`_PENDO_T_${randomId(rng, 11)}`, '']);
  const visitors = ids.map(([id, accountId]): Visitor => {
    const [country, region, latitude, longitude] = rng.pick(PLACES);
    return {
      id,
      accountId,
      remoteIp: `${rng.pick(IP_PREFIXES)}.${rng.between(1, 254)}`,
      webAgent: rng.pick(DESKTOP_AGENTS),
      mobileAgent: rng.pick(MOBILE_AGENTS),
      country,
      region,
      latitude,
      longitude,
    };
  });
  return { accounts, visitors };
}
