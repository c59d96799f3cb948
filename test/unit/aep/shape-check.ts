/** Checks JSON values against the shapes of docs/aep-shapes.json: types where present, and required paths. */
export interface Shape {
  type?: string;
  fields?: Record<string, Shape>;
  required?: string[];
  items?: Shape;
  values?: Shape;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** `a|b` allows either form, where Adobe's pages document two. */
function fits(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  return type.split('|').some((t) => actual === t || (t === 'number' && actual === 'integer'));
}

/** Every place where `value` has a field of another type than `shape` says, or lacks a field the shape requires. */
export function typeProblems(shape: Shape, value: unknown, at = '$'): string[] {
  if (value === undefined || value === null || !shape.type) return [];
  if (!fits(shape.type, value)) return [`${at}: ${typeOf(value)} where Adobe documents ${shape.type}`];
  const out: string[] = [];
  if (shape.type === 'object' && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const name of shape.required ?? []) if (obj[name] === undefined) out.push(`${at}.${name}: missing (required)`);
    for (const [name, field] of Object.entries(shape.fields ?? {}))
      out.push(...typeProblems(field, obj[name], `${at}.${name}`));
    if (shape.values) {
      for (const [name, item] of Object.entries(obj)) {
        if (!shape.fields?.[name]) out.push(...typeProblems(shape.values, item, `${at}.${name}`));
      }
    }
  }
  if (shape.type === 'array' && Array.isArray(value) && shape.items) {
    value.forEach((item, i) => out.push(...typeProblems(shape.items as Shape, item, `${at}[${i}]`)));
  }
  return out;
}

/**
 * The required paths `value` lacks. A path is dotted; `name[]` means every element of an array, `*` every value
 * of an object keyed by id (Catalog's answers). An empty array or object satisfies what is below it.
 */
export function missingPaths(paths: readonly string[], value: unknown): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const walk = (node: unknown, steps: string[], at: string): void => {
      const [step, ...rest] = steps;
      if (step === undefined) return;
      if (step === '*') {
        if (!node || typeof node !== 'object') return void out.push(`${at}: not an object`);
        for (const [key, child] of Object.entries(node)) walk(child, rest, `${at}.${key}`);
        return;
      }
      const many = step.endsWith('[]');
      const name = many ? step.slice(0, -2) : step;
      const child = node && typeof node === 'object' ? (node as Record<string, unknown>)[name] : undefined;
      if (child === undefined || child === null) return void out.push(`${at}.${name}: missing`);
      if (!many) return walk(child, rest, `${at}.${name}`);
      if (!Array.isArray(child)) return void out.push(`${at}.${name}: not an array`);
      child.forEach((item, i) => walk(item, rest, `${at}.${name}[${i}]`));
    };
    walk(value, path.split('.'), '$');
  }
  return out;
}
