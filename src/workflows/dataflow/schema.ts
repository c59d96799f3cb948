import { PENDO_FIELDS } from './fields';
import { describeIssues, list, object, oneOf, text } from '../common/validate';

export { describeIssues };

/** Flow Service filters read a comma as OR, so a name with one could never be found again. */
export const AepNameSchema = text({
  trim: true,
  min: 1,
  max: 256,
  rules: [[(s) => !s.includes(','), 'must not contain a comma (Flow Service filters read it as OR)']],
});

export const AepDescriptionSchema = text({ max: 1000 });

export const MappingSchema = object(
  {
    source: text({ min: 1 }),
    destination: oneOf(PENDO_FIELDS),
    sourceType: oneOf(['ATTRIBUTE', 'EXPRESSION', 'STATIC'] as const, 'ATTRIBUTE'),
  },
  { required: ['source', 'destination', 'sourceType'] },
);

/** Mappings: uniqueId mapped from an attribute (AEP rejects Pendo records without it), each field at most once. */
export const MappingsSchema = list(MappingSchema, {
  min: 1,
  rules: [
    [
      (ms) => ms.some((m) => m.destination === 'uniqueId' && m.sourceType === 'ATTRIBUTE'),
      'must map uniqueId from an attribute of the event (e.g. {source: uniqueId, destination: uniqueId})',
    ],
    [(ms) => new Set(ms.map((m) => m.destination)).size === ms.length, 'maps a destination field twice'],
  ],
});

/** `updateFlow` (and its Update): the flow's name and description, and/or a new mapping version. */
export const UpdateArgsSchema = object(
  { name: AepNameSchema, description: AepDescriptionSchema, mappings: MappingsSchema, reason: text() },
  {
    rules: [
      [
        (a) => a.name !== undefined || a.description !== undefined || a.mappings !== undefined,
        'needs at least one of name, description, mappings',
      ],
    ],
  },
);

/** `updateAccount`: the source connection's name and/or description. */
export const UpdateAccountArgsSchema = object(
  { name: AepNameSchema, description: AepDescriptionSchema, reason: text() },
  { rules: [[(a) => a.name !== undefined || a.description !== undefined, 'needs name or description']] },
);

export const DeleteArgsSchema = object({ reason: text() });

export type ParsedUpdate = ReturnType<typeof UpdateArgsSchema.parse>;
export type ParsedUpdateAccount = ReturnType<typeof UpdateAccountArgsSchema.parse>;
/** What a person sends: `sourceType` may be left out. */
export type UpdateArgs = Omit<ParsedUpdate, 'mappings'> & {
  mappings?: {
    source: string;
    destination: (typeof PENDO_FIELDS)[number];
    sourceType?: 'ATTRIBUTE' | 'EXPRESSION' | 'STATIC';
  }[];
};
export type UpdateAccountArgs = ParsedUpdateAccount;
export type DeleteArgs = ReturnType<typeof DeleteArgsSchema.parse>;
