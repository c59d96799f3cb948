import {
  AepErrorTypes,
  fieldGroupBody,
  isAepError,
  schemaBody,
  XDM_EXPERIENCE_EVENT_CLASS,
  type SchemaRegistryClient,
  type XdmField,
} from '../../aep';
import type { AepCall, EnsureFieldGroupInput, EnsureSchemaInput, Ref } from '../../workflows/dataflow/activity-types';
import { PENDO_FIELDS, PENDO_FIELD_TYPES } from '../../workflows/dataflow/fields';
import { isOwnedBy, withOwner } from '../../workflows/dataflow/names';
import { withAep } from './context';
import { nameTaken } from './failures';

const pendoFields = (): Record<string, XdmField> =>
  Object.fromEntries(
    PENDO_FIELDS.map((f) => [
      f,
      { type: PENDO_FIELD_TYPES[f], title: f, ...(f === 'uniqueId' ? { minLength: 1 } : {}) },
    ]),
  );

/** Find by title (titles are unique in a sandbox), else create; a lost create shows up as XDM-1521 and is adopted. */
async function ensureXdm(
  registry: SchemaRegistryClient,
  kind: 'fieldgroups' | 'schemas',
  body: { title: string; description: string },
  owner: string,
  signal: AbortSignal,
): Promise<Ref> {
  const what = kind === 'schemas' ? 'Schema' : 'Field group';
  const adopt = async (id: string): Promise<Ref> => {
    const doc = await registry.get(kind, id, {}, signal);
    if (!isOwnedBy(doc.description, owner)) throw nameTaken(what, body.title, owner);
    return { id };
  };
  const found = await registry.findByTitle(kind, body.title, signal);
  if (found) return adopt(found.$id);
  try {
    return { id: (await registry.create(kind, body, signal)).$id };
  } catch (err) {
    if (!isAepError(err) || err.type !== AepErrorTypes.Conflict) throw err;
    const again = await registry.findByTitle(kind, body.title, signal);
    if (!again) throw err;
    return adopt(again.$id);
  }
}

/**
 * The sandbox's tenant id (`GET /stats`). Read-only. Permanent: AepAuthError, AepConfigError,
 * AepPermissionDenied, PendoflowConfigError (unresolvable secret). Returns the tenant id.
 */
export async function aepTenantId({ aep }: AepCall): Promise<string> {
  return withAep(aep, (c, signal) => c.schemaRegistry.getTenantId(signal));
}

/**
 * The Pendo field group (ExperienceEvent). Idempotency key: its title. Permanent: AepValidation, AepNameTaken
 * (title held by a resource this dataflow does not own), AepConflict (title held by another kind). Returns `$id`.
 */
export async function aepEnsureFieldGroup(input: EnsureFieldGroupInput): Promise<Ref> {
  const body = fieldGroupBody({
    tenantId: input.tenantId,
    title: input.name,
    description: withOwner('Pendo webhook event fields.', input.owner),
    intendedToExtend: [XDM_EXPERIENCE_EVENT_CLASS],
    fields: pendoFields(),
  }) as { title: string; description: string };
  return withAep(input.aep, (c, signal) => ensureXdm(c.schemaRegistry, 'fieldgroups', body, input.owner, signal));
}

/**
 * The target schema: ExperienceEvent plus the Pendo field group. Idempotency key: its title. Permanent: as for
 * the field group. Returns `$id`.
 */
export async function aepEnsureSchema(input: EnsureSchemaInput): Promise<Ref> {
  const body = schemaBody({
    title: input.name,
    description: withOwner('Pendo webhook events.', input.owner),
    classId: XDM_EXPERIENCE_EVENT_CLASS,
    fieldGroupIds: [input.fieldGroupId],
  }) as { title: string; description: string };
  return withAep(input.aep, (c, signal) => ensureXdm(c.schemaRegistry, 'schemas', body, input.owner, signal));
}
