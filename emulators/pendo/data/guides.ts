/** Seeded guides: an NPS survey with two polls, a multi-step walkthrough and a mobile announcement. */
import { MOBILE_APP, WEB_APP, baseFields, type App, type MetaObject, type PendoUser } from './common';
import { samplePageUrl } from './catalog';
import { Rng, randomId, shortId } from './random';

export interface GuidePoll {
  id: string;
  question: string;
  attributes: Record<string, unknown>;
  numericResponses: number[];
  idResponses: Record<string, string>;
  resetAt: number;
}

export interface GuideStep {
  id: string;
  guideId: string;
  pageId: string;
  pollIds: string[];
  [field: string]: unknown;
}

function step(rng: Rng, guide: MetaObject, rank: number, pageObj: MetaObject, app: App, pollIds: string[]): GuideStep {
  const id = randomId(rng);
  const asset = `https://pendo-static.example.com/guide-content/${guide.id}/${id}`;
  return {
    id,
    guideId: guide.id,
    type: pollIds.length > 0 ? 'poll' : 'lightbox',
    name: `Step ${rank + 1}`,
    rank: rank * 5_000_000,
    pageId: pageObj.id,
    regexUrlRule: (pageObj.rules as { parsedRule: string }[] | undefined)?.[0]?.parsedRule ?? '',
    elementPathRule: '',
    triggerElementPathRule: '',
    confirmationElementPathRule: '',
    contentType: 'text/html; charset=utf-8',
    contentUrl: `${asset}.guide.html`,
    contentUrlCss: `${asset}.guide.css`,
    contentUrlJs: `${asset}.guide.js`,
    buildingBlocksUrl: `${asset}.buildingBlocks.json`,
    domUrl: `${asset}.dom.json`,
    domJsonpUrl: `${asset}.dom.jsonp`,
    launchUrl: samplePageUrl(app, pageObj),
    advanceMethod: rank === 0 ? 'button' : 'programmatic',
    templateId: 'building-block-guide',
    attributes: { isAutoFocus: false, themeId: 'default', blockOutUI: { enabled: false } },
    pollIds,
    lastUpdatedAt: guide.lastUpdatedAt,
    resetAt: 0,
  };
}

function poll(rng: Rng, question: string, type: string, extra: Partial<GuidePoll> = {}): GuidePoll {
  return {
    id: shortId(rng),
    question,
    attributes: {
      type,
      display: type === 'NPSRating' ? 'horizontal' : 'vertical',
      followUp: '',
      leftLabel: '',
      rightLabel: '',
    },
    numericResponses: [],
    idResponses: {},
    resetAt: 0,
    ...extra,
  };
}

interface GuideSeed {
  app: App;
  name: string;
  state: string;
  launchMethod: string;
  pageNames: string[];
  polls: GuidePoll[][];
}

function guide(rng: Rng, users: PendoUser[], pages: MetaObject[], seed: GuideSeed): MetaObject {
  const id = randomId(rng);
  const base = baseFields(rng, users, 'Guide', id, seed.app.id, seed.name);
  const obj: MetaObject = {
    ...base,
    appIds: [seed.app.id],
    state: seed.state,
    launchMethod: seed.launchMethod,
    isMultiStep: seed.pageNames.length > 1,
    isTraining: false,
    isModule: false,
    isTopLevel: false,
    publishedAt: seed.state === 'public' ? base.lastUpdatedAt : 0,
    publishedEver: seed.state !== 'draft',
    showsAfter: base.lastUpdatedAt,
    resetAt: 0,
    recurrence: 0,
    recurrenceEligibilityWindow: 0,
    currentFirstEligibleToBeSeenAt: base.lastUpdatedAt,
    audience: [{ source: { visitors: null } }, { select: { visitorId: 'visitorId' } }],
    audienceUiHint: { filters: [] },
    attributes: {
      type: 'building-block',
      device: { type: seed.app.id === WEB_APP.id ? 'desktop' : 'mobile' },
      priority: rng.between(1, 50),
      capping: { maxSessionImpressions: 1, maxImpressions: 3 },
      badge: null,
      activation: { selector: '', event: [] },
      resourceCenter: null,
    },
    authoredLanguage: 'en-US',
    editorType: 'visualDesignStudio',
    emailState: '',
    conversion: null,
    experiment: null,
    children: [],
    minAgentVersion: '2.150.0',
    originId: '',
    resourceCenterId: '',
    description: '',
  };
  const polls = seed.polls.flat();
  obj.steps = seed.pageNames.map((pageName, rank) => {
    const pageObj = pages.find((p) => p.name === pageName && p.appId === seed.app.id) ?? pages[0];
    if (!pageObj) throw new Error('catalog has no pages');
    return step(
      rng,
      obj,
      rank,
      pageObj,
      seed.app,
      (seed.polls[rank] ?? []).map((p) => p.id),
    );
  });
  obj.polls = polls;
  return obj;
}

/** Builds the three seeded guides from the catalog's pages. */
export function generateGuides(seed: number, users: PendoUser[], pages: MetaObject[]): MetaObject[] {
  const rng = Rng.of(seed, 'guides');
  const followUp = poll(rng, 'What is the main reason for your score?', 'FreeForm');
  const nps = poll(rng, 'How likely are you to recommend us to a friend or colleague?', 'NPSRating', {
    numericResponses: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  });
  nps.attributes = { ...nps.attributes, followUp: followUp.id, leftLabel: 'Not likely', rightLabel: 'Very likely' };
  const helpful = poll(rng, 'Was this announcement helpful?', 'PickList', {
    idResponses: { [shortId(rng, 6)]: 'Yes', [shortId(rng, 6)]: 'Not really' },
  });
  const seeds: GuideSeed[] = [
    {
      app: WEB_APP,
      name: 'Net Promoter Score survey',
      state: 'public',
      launchMethod: 'auto',
      pageNames: ['Dashboard', 'Dashboard'],
      polls: [[nps], [followUp]],
    },
    {
      app: WEB_APP,
      name: 'Getting started walkthrough',
      state: 'public',
      launchMethod: 'auto',
      pageNames: ['Dashboard', 'Reports list', 'Report detail', 'Settings'],
      polls: [],
    },
    {
      app: MOBILE_APP,
      name: "What's new in Mobile",
      state: 'staged',
      launchMethod: 'api',
      pageNames: ['Home'],
      polls: [[helpful]],
    },
  ];
  return seeds.map((s) => guide(rng, users, pages, s));
}
