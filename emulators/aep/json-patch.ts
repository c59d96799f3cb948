import { isObject, type Json } from './http';

export interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

/** Decodes a JSON Pointer into keys (`~1` → `/`, `~0` → `~`). */
export const pointerKeys = (path: string): string[] =>
  path
    .split('/')
    .slice(1)
    .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));

/**
 * Applies one add/replace/remove operation in place. Returns an error text instead of throwing,
 * so each API can wrap it in its own error code.
 */
export function applyPatchOp(doc: Json, op: PatchOp): string | undefined {
  const keys = pointerKeys(op.path);
  const last = keys.pop();
  if (last === undefined) return `Invalid path '${op.path}'`;
  let parent: unknown = doc;
  for (const key of keys) {
    const next: unknown = Array.isArray(parent) ? parent[Number(key)] : isObject(parent) ? parent[key] : undefined;
    if (next === undefined) {
      if (op.op !== 'add' || !isObject(parent)) return `Missing field "${key}"`;
      parent[key] = {};
      parent = parent[key];
    } else parent = next;
  }
  const kind = op.op.toLowerCase();
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) return `Invalid array index '${last}'`;
    if (kind === 'add') parent.splice(index, 0, structuredClone(op.value));
    else if (index >= parent.length) return `Missing field "${last}"`;
    else if (kind === 'replace') parent[index] = structuredClone(op.value);
    else parent.splice(index, 1);
    return undefined;
  }
  if (!isObject(parent)) return `Missing field "${last}"`;
  if (kind !== 'add' && !(last in parent)) return `Missing field "${last}"`;
  if (kind === 'remove') delete parent[last];
  else parent[last] = structuredClone(op.value);
  return undefined;
}

/** Deep-merges plain objects (arrays and scalars from `src` win). */
export function deepMerge(target: Json, src: Json): Json {
  for (const [k, v] of Object.entries(src)) {
    const cur = target[k];
    target[k] = isObject(cur) && isObject(v) ? deepMerge({ ...cur }, v) : structuredClone(v);
  }
  return target;
}
