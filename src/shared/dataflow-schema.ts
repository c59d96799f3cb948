import { z } from 'zod';
import { PENDO_FIELDS } from './dataflow-fields';

/** Flow Service filters read a comma as OR, so a name with one could never be found again. */
export const AepNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .refine((s) => !s.includes(','), 'must not contain a comma (Flow Service filters read it as OR)');

export const AepDescriptionSchema = z.string().max(1000, 'must be at most 1000 characters');

export const MappingSchema = z
  .object({
    source: z.string().min(1, 'must not be empty'),
    destination: z.enum(PENDO_FIELDS, { message: `must be one of ${PENDO_FIELDS.join(', ')}` }),
    sourceType: z.enum(['ATTRIBUTE', 'EXPRESSION', 'STATIC']).default('ATTRIBUTE'),
  })
  .strict();

/** Mappings: uniqueId mapped from an attribute (AEP rejects Pendo records without it), each field at most once. */
export const MappingsSchema = z
  .array(MappingSchema)
  .min(1, 'needs at least the uniqueId mapping')
  .refine(
    (ms) => ms.some((m) => m.destination === 'uniqueId' && m.sourceType === 'ATTRIBUTE'),
    'must map uniqueId from an attribute of the event (e.g. {source: uniqueId, destination: uniqueId})',
  )
  .refine((ms) => new Set(ms.map((m) => m.destination)).size === ms.length, 'maps a destination field twice');

/** `update`: the flow's name and description, and/or a new mapping version. */
export const UpdateArgsSchema = z
  .object({
    name: AepNameSchema.optional(),
    description: AepDescriptionSchema.optional(),
    mappings: MappingsSchema.optional(),
    reason: z.string().optional(),
  })
  .strict()
  .refine(
    (a) => a.name !== undefined || a.description !== undefined || a.mappings !== undefined,
    'needs at least one of name, description, mappings',
  );

/** `updateAccount`: the source connection's name and/or description. */
export const UpdateAccountArgsSchema = z
  .object({
    name: AepNameSchema.optional(),
    description: AepDescriptionSchema.optional(),
    reason: z.string().optional(),
  })
  .strict()
  .refine((a) => a.name !== undefined || a.description !== undefined, 'needs name or description');

export const DeleteArgsSchema = z.object({ reason: z.string().optional() }).strict();

export type UpdateArgs = z.input<typeof UpdateArgsSchema>;
export type UpdateAccountArgs = z.input<typeof UpdateAccountArgsSchema>;
export type DeleteArgs = z.input<typeof DeleteArgsSchema>;

/** Every zod issue as `path: message`, joined; what a rejected signal records. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(argument)'}: ${i.message}`).join('; ');

export type ParsedUpdate = z.output<typeof UpdateArgsSchema>;
export type ParsedUpdateAccount = z.output<typeof UpdateAccountArgsSchema>;
