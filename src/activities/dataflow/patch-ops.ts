import { mappingTransformation, type Flow, type FlowServiceItem, type JsonPatchOp } from '../../aep';

/** `replace` when the field exists, `add` otherwise (Flow Service documents both for name and description). */
const set = (current: FlowServiceItem, field: 'name' | 'description', value: string): JsonPatchOp => ({
  op: current[field] === undefined ? 'add' : 'replace',
  path: `/${field}`,
  value,
});

/** The operations that bring a connection's name and description to `desired`; none when they already match. */
export function renameOps(current: FlowServiceItem, desired: { name?: string; description?: string }): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  if (desired.name !== undefined && desired.name !== current.name) ops.push(set(current, 'name', desired.name));
  if (desired.description !== undefined && desired.description !== (current.description ?? '')) {
    ops.push(set(current, 'description', desired.description));
  }
  return ops;
}

/** The operations for a flow: name, description, and the whole Mapping transformation (its documented path). */
export function flowPatchOps(
  current: Flow,
  desired: { name?: string; description?: string; mapping?: { id: string; version: number } },
): JsonPatchOp[] {
  const ops = renameOps(current, desired);
  const want = desired.mapping;
  const params = current.transformations?.[0]?.params;
  if (want && (params?.mappingId !== want.id || Number(params.mappingVersion) !== want.version)) {
    ops.push({ op: 'replace', path: '/transformations/0', value: mappingTransformation(want.id, want.version) });
  }
  return ops;
}
