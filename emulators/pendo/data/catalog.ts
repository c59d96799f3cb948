/** Seeded pages, features (tied to pages) and track types for both apps. */
import { APPS, WEB_APP, baseFields, makeGroups, makeUsers, type App, type MetaObject, type PendoUser } from './common';
import { Rng, at, randomId } from './random';

interface PageSeed {
  name: string;
  path: string;
  features: string[];
}

const WEB_PAGES: PageSeed[] = [
  { name: 'Dashboard', path: '/dashboard', features: ['Add widget', 'Date range picker'] },
  { name: 'Reports list', path: '/reports', features: ['Create report', 'Report search'] },
  { name: 'Report detail', path: '/reports/*', features: ['Export button', 'Share report'] },
  { name: 'Settings', path: '/settings', features: ['Save settings'] },
  { name: 'Billing', path: '/settings/billing', features: ['Upgrade plan'] },
  { name: 'Team members', path: '/settings/team', features: ['Invite teammate'] },
  { name: 'Integrations', path: '/integrations', features: ['Connect integration'] },
  { name: 'Login', path: '/login', features: ['Sign in button'] },
  { name: 'Search results', path: '/search', features: ['Search filter'] },
  { name: 'Onboarding checklist', path: '/welcome', features: ['Checklist item'] },
  { name: 'Account profile', path: '/account', features: ['Edit profile'] },
  { name: 'Notifications', path: '/notifications', features: ['Mark all read'] },
];
const MOBILE_PAGES: PageSeed[] = [
  { name: 'Home', path: '/home', features: ['Pull to refresh', 'Quick action'] },
  { name: 'Inbox', path: '/inbox', features: ['Archive swipe'] },
  { name: 'Profile', path: '/profile', features: ['Edit avatar'] },
  { name: 'Mobile settings', path: '/settings', features: ['Notification toggle'] },
  { name: 'Checkout', path: '/checkout', features: ['Pay now'] },
  { name: 'Product detail', path: '/products/*', features: ['Add to cart'] },
];

export interface Catalog {
  users: PendoUser[];
  pages: MetaObject[];
  features: MetaObject[];
  trackTypes: MetaObject[];
}

/** The URL a page's rule matches, used for guide event urls and rule hints. */
export function samplePageUrl(app: App, page: MetaObject): string {
  const rules = page.rules as { designerHint: string }[] | undefined;
  return rules?.[0]?.designerHint ?? `${app.urlBase}/`;
}

function page(rng: Rng, users: PendoUser[], app: App, seed: PageSeed, group: unknown): MetaObject {
  const id = randomId(rng);
  const hint = `${app.urlBase}${seed.path.replace('*', String(rng.between(10, 999)))}`;
  const rule = `//*${seed.path}`;
  const parsedRule = `^https?://[^/]*${seed.path.replace(/\//g, '/').replace('*', '[^/]+')}/?(?:;[^#?]*)?(?:\\?.*)?(?:#.*)?$`;
  const rules = [{ rule, designerHint: hint, parsedRule }];
  return {
    ...baseFields(rng, users, 'Page', id, app.id, seed.name),
    group,
    suggestedName: seed.name,
    isAutoTagged: false,
    isCoreEvent: rng.chance(0.3),
    rules,
    rulesjson: JSON.stringify([{ rule, designerHint: hint }]),
  };
}

function feature(
  rng: Rng,
  users: PendoUser[],
  app: App,
  pageObj: MetaObject,
  name: string,
  group: unknown,
): MetaObject {
  const id = randomId(rng);
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  const tag = rng.pick(['BUTTON', 'A', 'DIV', 'INPUT', 'SPAN']);
  const selector = `${tag.toLowerCase()}[data-test="${slug}"]`;
  return {
    ...baseFields(rng, users, 'Feature', id, app.id, name),
    group,
    pageId: pageObj.id,
    appWide: false,
    isCoreEvent: rng.chance(0.25),
    suggestedMatch: selector,
    createdDesignerVersion: `2.${rng.between(200, 280)}.${rng.between(0, 9)}`,
    elementPathRules: [selector],
    elementSelectionType: 'suggested',
    elementInitialTag: tag,
    eventPropertyConfigurations:
      slug === 'export-button'
        ? [
            {
              name: 'exportFormat',
              path: 'data-format',
              rule: selector,
              selector,
              pattern: '',
              type: 'string',
              isActive: true,
            },
          ]
        : [],
  };
}

function trackType(rng: Rng, users: PendoUser[], app: App, name: string, properties: string[]): MetaObject {
  const id = randomId(rng);
  return {
    ...baseFields(rng, users, 'TrackType', id, app.id, name),
    trackTypeName: name,
    trackTypeRules: [name],
    eventPropertyNameList: properties,
    isCoreEvent: false,
  };
}

/** Builds pages, features and track types; the same seed always gives the same ids and fields. */
export function generateCatalog(seed: number): Catalog {
  const users = makeUsers(seed);
  const groups = makeGroups(seed, users);
  const rng = Rng.of(seed, 'catalog');
  const pages: MetaObject[] = [];
  const features: MetaObject[] = [];
  for (const app of APPS) {
    for (const seedPage of app === WEB_APP ? WEB_PAGES : MOBILE_PAGES) {
      const group = rng.chance(0.6) ? rng.pick(groups) : null;
      const p = page(rng, users, app, seedPage, group);
      pages.push(p);
      for (const name of seedPage.features) features.push(feature(rng, users, app, p, name, group));
    }
  }
  const trackTypes = [
    trackType(rng, users, at(APPS, 0), 'Report Exported', ['format', 'rows']),
    trackType(rng, users, at(APPS, 1), 'Push Notification Opened', ['campaign', 'platform']),
  ];
  return { users, pages, features, trackTypes };
}
