/** Seeded segments, served by `GET /api/v1/segment` (shape from Pendo's segment API article). */
import { baseFields, type MetaObject, type PendoUser } from './common';
import { Rng, randomId } from './random';

const SEGMENTS: [string, string, string, unknown][] = [
  ['Paying accounts', 'accountMetadata', 'agent/is_paying', true],
  ['Admins', 'visitorMetadata', 'agent/role', 'admin'],
  ['Pro plan', 'visitorMetadata', 'custom/plan_tier', 'pro'],
  ['EMEA accounts', 'accountMetadata', 'custom/region', 'EMEA'],
];

function segment(rng: Rng, users: PendoUser[], [name, group, field, value]: (typeof SEGMENTS)[number]): MetaObject {
  const id = randomId(rng);
  const [section, key] = field.split('/') as [string, string];
  const subject = group === 'accountMetadata' ? 'account' : 'visitor';
  return {
    ...baseFields(rng, users, 'Segment', id, -323232, name),
    createdByApi: rng.chance(0.25),
    isFocusGroup: false,
    definition: {
      filters: [
        {
          kind: subject === 'account' ? 'account' : 'visitor',
          field: `metadata.${section}.${key}`,
          operator: '==',
          value,
        },
      ],
    },
    pipeline: [
      { source: { [`${subject}s`]: null } },
      { filter: `metadata.${section}.${key} == ${JSON.stringify(value)}` },
      { select: { [`${subject}Id`]: `${subject}Id` } },
    ],
    dependentMetadata: [`${subject}.${section}.${key}`],
  };
}

export function generateSegments(seed: number, users: PendoUser[]): MetaObject[] {
  const rng = Rng.of(seed, 'segments');
  return SEGMENTS.map((spec) => segment(rng, users, spec));
}
