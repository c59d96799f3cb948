/** Everything events are drawn from: the seeded catalog, people, and the key-slot tables derived from them. */
import { APPS, type App, type MetaObject } from './common';
import { generateCatalog, samplePageUrl, type Catalog } from './catalog';
import { generateGuides, type GuidePoll, type GuideStep } from './guides';
import { generatePeople, type People } from './people';
import { hash32 } from './random';
import { generateReports } from './reports';

export const HOUR = 3_600_000;

export type AggSource = 'pageEvents' | 'featureEvents' | 'trackEvents';
export type RawSource = 'guideEvents' | 'pollEvents';
export type EventSourceName = AggSource | RawSource;

export const ENTITY_FIELD: Record<AggSource, 'pageId' | 'featureId' | 'trackTypeId'> = {
  pageEvents: 'pageId',
  featureEvents: 'featureId',
  trackEvents: 'trackTypeId',
};

export function isAggSource(source: string): source is AggSource {
  return source in ENTITY_FIELD;
}

/** A slot of a key space: one entity, plus a copy index so that popular entities get more rows. */
export interface EntitySlot {
  entity: MetaObject;
  app: App;
  copy: number;
}

export interface StepSlot {
  guide: MetaObject;
  step: GuideStep;
  poll?: GuidePoll;
  app: App;
  url: string;
}

export interface World {
  seed: number;
  catalog: Catalog;
  guides: MetaObject[];
  reports: MetaObject[];
  people: People;
  entitySlots: Record<AggSource, { slots: EntitySlot[]; copies: number }>;
  guideSlots: StepSlot[];
  pollSlots: StepSlot[];
}

export function appOf(appId: number): App {
  return APPS.find((a) => a.id === appId) ?? APPS[0] ?? { id: appId, name: 'App', server: '', urlBase: '' };
}

function weightedSlots(seed: number, entities: MetaObject[]): { slots: EntitySlot[]; copies: number } {
  const slots: EntitySlot[] = [];
  let copies = 1;
  for (const entity of entities) {
    const n = 1 + (hash32(seed, 'popularity', entity.id) % 3);
    copies = Math.max(copies, n);
    for (let copy = 0; copy < n; copy++) slots.push({ entity, app: appOf(entity.appId), copy });
  }
  return { slots, copies };
}

function stepSlots(guides: MetaObject[], pages: MetaObject[], withPolls: boolean): StepSlot[] {
  const out: StepSlot[] = [];
  for (const guide of guides) {
    const app = appOf(guide.appId);
    const polls = (guide.polls ?? []) as GuidePoll[];
    for (const step of (guide.steps ?? []) as GuideStep[]) {
      const page = pages.find((p) => p.id === step.pageId);
      const url = page ? samplePageUrl(app, page) : `${app.urlBase}/`;
      if (!withPolls) out.push({ guide, step, app, url });
      else {
        for (const pollId of step.pollIds) {
          const poll = polls.find((p) => p.id === pollId);
          if (poll) out.push({ guide, step, poll, app, url });
        }
      }
    }
  }
  return out;
}

/** Builds the seeded world; cheap (well under a millisecond per object), done once per emulator. */
export function buildWorld(seed: number): World {
  const catalog = generateCatalog(seed);
  const guides = generateGuides(seed, catalog.users, catalog.pages);
  return {
    seed,
    catalog,
    guides,
    reports: generateReports(seed, catalog.users),
    people: generatePeople(seed),
    entitySlots: {
      pageEvents: weightedSlots(seed, catalog.pages),
      featureEvents: weightedSlots(seed, catalog.features),
      trackEvents: weightedSlots(seed, catalog.trackTypes),
    },
    guideSlots: stepSlots(guides, catalog.pages, false),
    pollSlots: stepSlots(guides, catalog.pages, true),
  };
}
