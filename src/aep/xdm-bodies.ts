/** Standard XDM references used when composing schemas. */
export const XDM_EXPERIENCE_EVENT_CLASS = 'https://ns.adobe.com/xdm/context/experienceevent';
export const XDM_PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
export const XDM_RECORD_BEHAVIOR = 'https://ns.adobe.com/xdm/data/record';
export const XDM_TIME_SERIES_BEHAVIOR = 'https://ns.adobe.com/xdm/data/time-series';

export interface XdmField {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'object';
  title?: string;
  description?: string;
  format?: string;
  minLength?: number;
  properties?: Record<string, XdmField>;
}

/**
 * A tenant field group body: every field sits under `_{tenantId}` (the registry rejects custom fields
 * elsewhere with XDM-1020..1024).
 */
export function fieldGroupBody(input: {
  tenantId: string;
  title: string;
  description: string;
  /** Class `$id`s the group may extend. */
  intendedToExtend: readonly string[];
  fields: Record<string, XdmField>;
}): object {
  const tenantKey = `_${input.tenantId}`;
  return {
    title: input.title,
    description: input.description,
    type: 'object',
    'meta:intendedToExtend': [...input.intendedToExtend],
    definitions: {
      fields: {
        properties: {
          [tenantKey]: { type: 'object', properties: input.fields },
        },
      },
    },
    allOf: [{ $ref: '#/definitions/fields' }],
  };
}

/** A schema body: one class plus field groups, all by `$id`. */
export function schemaBody(input: {
  title: string;
  description: string;
  classId: string;
  fieldGroupIds: readonly string[];
}): object {
  return {
    type: 'object',
    title: input.title,
    description: input.description,
    allOf: [{ $ref: input.classId }, ...input.fieldGroupIds.map(($ref) => ({ $ref }))],
  };
}
