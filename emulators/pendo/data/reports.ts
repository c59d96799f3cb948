/** Seeded public reports with definitions and aggregation pipelines. */
import { MOBILE_APP, WEB_APP, baseFields, userRef, type App, type MetaObject, type PendoUser } from './common';
import { Rng, randomId } from './random';

interface ReportSeed {
  app: App;
  name: string;
  kind: string;
  generator: string;
  graphType: string;
  level: string;
  columns: { field: string; title: string; type: string }[];
  pipeline: unknown[];
}

const SEEDS: ReportSeed[] = [
  {
    app: WEB_APP,
    name: 'Weekly active visitors',
    kind: 'visitor',
    generator: 'visitorList',
    graphType: 'table',
    level: 'visitor',
    columns: [
      { field: 'visitorId', title: 'Visitor ID', type: 'string' },
      { field: 'accountId', title: 'Account ID', type: 'string' },
      { field: 'numEvents', title: 'Events', type: 'number' },
      { field: 'lastVisit', title: 'Last visit', type: 'time' },
    ],
    pipeline: [
      { source: { events: null, timeSeries: { period: 'dayRange', first: 'now()', count: -7 } } },
      { identified: 'visitorId' },
      { group: { group: ['visitorId', 'accountId'], fields: [{ numEvents: { sum: 'numEvents' } }] } },
    ],
  },
  {
    app: WEB_APP,
    name: 'Feature adoption by account',
    kind: 'account',
    generator: 'accountList',
    graphType: 'table',
    level: 'account',
    columns: [
      { field: 'accountId', title: 'Account ID', type: 'string' },
      { field: 'featureId', title: 'Feature', type: 'string' },
      { field: 'numMinutes', title: 'Minutes', type: 'number' },
    ],
    pipeline: [
      { source: { featureEvents: null, timeSeries: { period: 'dayRange', first: 'now()', count: -30 } } },
      { group: { group: ['accountId', 'featureId'], fields: [{ numMinutes: { sum: 'numMinutes' } }] } },
      { sort: ['-numMinutes'] },
    ],
  },
  {
    app: MOBILE_APP,
    name: 'Mobile checkout funnel',
    kind: 'funnel',
    generator: 'funnel',
    graphType: 'bar',
    level: 'visitor',
    columns: [
      { field: 'step', title: 'Step', type: 'string' },
      { field: 'count', title: 'Visitors', type: 'number' },
    ],
    pipeline: [
      {
        source: {
          pageEvents: { appId: MOBILE_APP.id },
          timeSeries: { period: 'dayRange', first: 'now()', count: -14 },
        },
      },
      { filter: 'numEvents > 0' },
      { count: null },
    ],
  },
];

/** Builds the three seeded reports. */
export function generateReports(seed: number, users: PendoUser[]): MetaObject[] {
  const rng = Rng.of(seed, 'reports');
  return SEEDS.map((s) => {
    const id = randomId(rng);
    const base = baseFields(rng, users, 'Report', id, s.app.id, s.name);
    const owner = userRef(rng.pick(users));
    const lastRunAt = base.lastUpdatedAt + rng.int(86_400_000);
    return {
      ...base,
      type: 'Report',
      level: s.level,
      scope: rng.pick(['global', 'private']),
      share: 'everyone',
      shared: true,
      target: s.app.id === WEB_APP.id ? 'web' : 'mobile',
      ownedByUser: owner,
      lastRunAt,
      lastSuccessRunAt: lastRunAt,
      lastSuccessRunObj: {
        id: randomId(rng, 16),
        startedAt: lastRunAt - 4200,
        finishedAt: lastRunAt,
        rowCount: rng.between(12, 900),
      },
      definition: {
        kind: s.kind,
        generator: s.generator,
        graphType: s.graphType,
        period: 'dayRange',
        config: {
          appId: s.app.id,
          columns: s.columns.map((c) => c.field),
          segmentId: 'everyone',
          excludeAnonymous: true,
        },
        timeSeries: { period: 'dayRange', first: 'now()', count: -7 },
        dateRanges: [{ type: 'relative', value: 'last7Days' }],
      },
      aggregation: { fields: s.columns, pipeline: s.pipeline },
    };
  });
}
