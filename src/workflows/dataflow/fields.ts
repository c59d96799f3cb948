/**
 * The Pendo field group: the fields of Adobe's Pendo tutorial, under `_{tenantId}` in the target schema.
 * `uniqueId` is mandatory: a record without it fails validation in the flow run.
 */
export const PENDO_FIELDS = ['uniqueId', 'accountId', 'visitorId', 'guideName', 'timestamp'] as const;
export type PendoField = (typeof PENDO_FIELDS)[number];

export const PENDO_FIELD_TYPES: Readonly<Record<PendoField, 'string' | 'number'>> = {
  uniqueId: 'string',
  accountId: 'string',
  visitorId: 'string',
  guideName: 'string',
  timestamp: 'number',
};

export type MappingSourceType = 'ATTRIBUTE' | 'EXPRESSION' | 'STATIC';

/** One Data Prep mapping: a path (or expression, or constant) of the Pendo webhook event into a field. */
export interface DataflowMapping {
  source: string;
  destination: PendoField;
  sourceType: MappingSourceType;
}

/** The tutorial's mappings from the Pendo webhook event. */
export const DEFAULT_MAPPINGS: readonly DataflowMapping[] = [
  { source: 'uniqueId', destination: 'uniqueId', sourceType: 'ATTRIBUTE' },
  { source: 'accountId', destination: 'accountId', sourceType: 'ATTRIBUTE' },
  { source: 'visitorId', destination: 'visitorId', sourceType: 'ATTRIBUTE' },
  { source: 'properties.guideProperties.name', destination: 'guideName', sourceType: 'ATTRIBUTE' },
  { source: 'timestamp', destination: 'timestamp', sourceType: 'ATTRIBUTE' },
];

/** Order-sensitive equality, as Data Prep stores mappings in order. */
export function sameMappings(left: readonly DataflowMapping[], right: readonly DataflowMapping[]): boolean {
  return (
    left.length === right.length &&
    left.every((mapping, index) => {
      const other = right[index];
      return (
        other !== undefined &&
        mapping.source === other.source &&
        mapping.destination === other.destination &&
        mapping.sourceType === other.sourceType
      );
    })
  );
}
