/** Fields shared by every Pendo metadata object: ids, users, timestamps, version ids, groups. */
import { Rng, randomId } from './random';

export type MetaObject = Record<string, unknown> & { id: string; appId: number; lastUpdatedAt: number };

export interface App {
  id: number;
  name: string;
  server: string;
  urlBase: string;
}

export const WEB_APP: App = { id: -323232, name: 'Web', server: 'app.example.com', urlBase: 'https://app.example.com' };
export const MOBILE_APP: App = {
  id: 5629499534213120,
  name: 'Mobile',
  server: 'm.example.com',
  urlBase: 'https://m.example.com',
};
export const APPS: readonly App[] = [WEB_APP, MOBILE_APP];
export const DEFAULT_APP_ID = WEB_APP.id;

/** Seeded objects were created and edited in this window, so their timestamps never depend on the clock. */
export const CATALOG_EPOCH = Date.UTC(2024, 0, 8, 15);
const DAY = 86_400_000;

export interface PendoUser {
  id: string;
  username: string;
  first: string;
  last: string;
  role: number;
  userType: string;
  hasLoggedIn: boolean;
  lastLogin: number;
  deletedAt: number;
  visitorIds: string[];
}

export function makeUsers(seed: number): PendoUser[] {
  const rng = Rng.of(seed, 'users');
  const people: [string, string, string, number][] = [
    ['pat.lee@example.com', 'Pat', 'Lee', 8],
    ['sam.ortiz@example.com', 'Sam', 'Ortiz', 2],
    ['robin.kaur@example.com', 'Robin', 'Kaur', 8],
    ['integration@example.com', 'API', 'Integration', 1],
  ];
  return people.map(([username, first, last, role]) => ({
    id: String(4_503_599_627_370_496 + rng.int(1_000_000_000)),
    username,
    first,
    last,
    role,
    userType: '',
    hasLoggedIn: true,
    lastLogin: CATALOG_EPOCH + 300 * DAY + rng.int(30 * DAY),
    deletedAt: 0,
    visitorIds: [username],
  }));
}

/** `<id>-YYYYMMDDhhmmss.SSS`, the shape of a stable version id. */
export function versionId(id: string, t: number): string {
  const iso = new Date(t).toISOString();
  return `${id}-${iso.slice(0, 19).replace(/[-T:]/g, '')}.${iso.slice(20, 23)}`;
}

export function userRef(user: PendoUser): PendoUser {
  return { ...user, visitorIds: [...user.visitorIds] };
}

/** The common header of a metadata object, with seeded created/updated times. */
export function baseFields(
  rng: Rng,
  users: readonly PendoUser[],
  kind: string,
  id: string,
  appId: number,
  name: string,
): Record<string, unknown> & { id: string; appId: number; lastUpdatedAt: number } {
  const createdAt = CATALOG_EPOCH + rng.int(200 * DAY);
  const lastUpdatedAt = createdAt + rng.int(150 * DAY);
  const creator = rng.pick(users);
  const updater = rng.pick(users);
  return {
    id,
    appId,
    kind,
    name,
    color: rng.pick(['gray', 'blue', 'green', 'orange', 'purple', '']),
    createdAt,
    createdByUser: userRef(creator),
    lastUpdatedAt,
    lastUpdatedByUser: userRef(updater),
    rootVersionId: id,
    stableVersionId: versionId(id, lastUpdatedAt),
    dirty: false,
    validThrough: Math.floor(lastUpdatedAt / 3_600_000) * 3_600_000 + 3_600_000,
    dailyMergeFirst: Math.floor(createdAt / DAY) * DAY,
    dailyRollupFirst: Math.floor(createdAt / DAY) * DAY,
  };
}

export interface TagGroup {
  id: string;
  name: string;
  description: string;
  color: string;
  type: string;
  length: number;
  items: unknown[];
  createdAt: number;
  createdByUser: PendoUser;
  lastUpdatedAt: number;
  lastUpdatedByUser: PendoUser;
}

export function makeGroups(seed: number, users: readonly PendoUser[]): TagGroup[] {
  const rng = Rng.of(seed, 'groups');
  const names: [string, string, string][] = [
    ['Reporting', 'Dashboards, reports and exports', '.groupColor-blue'],
    ['Onboarding', 'First-run and setup flows', '.groupColor-green'],
    ['Administration', 'Settings, billing and team management', '.groupColor-orange'],
  ];
  return names.map(([name, description, color]) => {
    const createdAt = CATALOG_EPOCH + rng.int(20 * DAY);
    const user = userRef(rng.pick(users));
    return {
      id: randomId(rng),
      name,
      description,
      color,
      type: '',
      length: 0,
      items: [],
      createdAt,
      createdByUser: user,
      lastUpdatedAt: createdAt + rng.int(50 * DAY),
      lastUpdatedByUser: user,
    };
  });
}
