import { mappingSetBody, type MappingRule, type MappingSet } from '../../aep';
import type {
  EnsureMappingSetInput,
  MappingRef,
  MappingSetInput,
  UpdateMappingSetInput,
} from '../../workflows/dataflow/activity-types';
import { withAep } from './context';

/** Mapping rules for Data Prep: each destination lands under the tenant namespace `_{tenantId}`. */
export function mappingRules(input: Pick<MappingSetInput, 'tenantId' | 'mappings'>): MappingRule[] {
  return input.mappings.map((m) => ({
    source: m.source,
    destination: `_${input.tenantId}.${m.destination}`,
    sourceType: m.sourceType,
  }));
}

/** Whether a stored mapping set (either body dialect) already says what `rules` say, into `schemaId`. */
export function mappingSetMatches(current: MappingSet, schemaId: string, rules: readonly MappingRule[]): boolean {
  const schema = current.outputSchema?.schemaRef.id ?? (current as { xdmSchema?: unknown }).xdmSchema;
  if (schema !== schemaId || current.mappings.length !== rules.length) return false;
  return current.mappings.every((m, i) => {
    const raw = m as MappingRule & { sourceAttribute?: string; destinationXdmPath?: string };
    const want = rules[i] as MappingRule;
    return (
      (raw.source ?? raw.sourceAttribute) === want.source &&
      (raw.destination ?? raw.destinationXdmPath) === want.destination &&
      String(raw.sourceType ?? 'ATTRIBUTE').toUpperCase() === (want.sourceType ?? 'ATTRIBUTE')
    );
  });
}

/**
 * The mapping set (uniqueId plus the configured fields). Idempotency key: its name; when one exists with other
 * mappings, a new version is written instead of a second set. Permanent: AepValidation. Returns id and version.
 */
export async function aepEnsureMappingSet(input: EnsureMappingSetInput): Promise<MappingRef> {
  const rules = mappingRules(input);
  const body = mappingSetBody({ name: input.name, schemaId: input.schemaId, mappings: rules });
  return withAep(input.aep, async (c, signal) => {
    const found = await c.dataPrep.findMappingSetByName(input.name, signal);
    if (!found) return c.dataPrep.createMappingSet(body, signal);
    if (mappingSetMatches(found, input.schemaId, rules)) return { id: found.id, version: Number(found.version) };
    return c.dataPrep.updateMappingSet(found.id, body, signal);
  });
}

/**
 * A new version of the mapping set with `mappings`, unless the latest version already has them (so a retry
 * after a lost answer writes nothing). Permanent: AepValidation, AepNotFound. Returns id and version.
 */
export async function aepUpdateMappingSet(input: UpdateMappingSetInput): Promise<MappingRef> {
  const rules = mappingRules(input);
  return withAep(input.aep, async (c, signal) => {
    const current = await c.dataPrep.getMappingSet(input.mappingId, undefined, signal);
    if (mappingSetMatches(current, input.schemaId, rules)) return { id: current.id, version: Number(current.version) };
    // PUT replaces the whole set: keep its name, or it could no longer be found by name.
    const body = mappingSetBody({ name: current.name, schemaId: input.schemaId, mappings: rules });
    return c.dataPrep.updateMappingSet(input.mappingId, body, signal);
  });
}
