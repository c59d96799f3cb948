/**
 * A few validators for signal arguments, checked inside workflows. Not zod: Temporal's reusable V8 context
 * evaluates every bundled module once per cached workflow, and zod alone would cost about 1 MB of worker memory
 * per workflow (measured with bench:scale). Results have zod's `safeParse` shape.
 */
export interface Issue {
  path: (string | number)[];
  message: string;
}
export type SafeParse<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };
type Check<T> = (value: unknown, path: (string | number)[], issues: Issue[]) => T;
type Rule<T> = [test: (value: T) => boolean, message: string];

export interface Schema<T> {
  check: Check<T>;
  safeParse(value: unknown): SafeParse<T>;
  parse(value: unknown): T;
}

function schema<T>(check: Check<T>): Schema<T> {
  const safeParse = (value: unknown): SafeParse<T> => {
    const issues: Issue[] = [];
    const data = check(value, [], issues);
    return issues.length ? { success: false, error: { issues } } : { success: true, data };
  };
  return {
    check,
    safeParse,
    parse(value) {
      const r = safeParse(value);
      if (!r.success) throw new Error(describeIssues(r.error));
      return r.data;
    },
  };
}

function applyRules<T>(value: T, rules: Rule<T>[], path: (string | number)[], issues: Issue[]): void {
  for (const [test, message] of rules) if (!test(value)) issues.push({ path, message });
}

export const text = (
  opts: {
    min?: number;
    max?: number;
    trim?: boolean;
    rules?: Rule<string>[];
    /** Says what is wrong with the text, or undefined when nothing is. */
    problem?: (s: string) => string | undefined;
  } = {},
) =>
  schema<string>((value, path, issues) => {
    if (typeof value !== 'string') return void issues.push({ path, message: 'must be text' }) as never;
    const s = opts.trim ? value.trim() : value;
    if (opts.min !== undefined && s.length < opts.min)
      issues.push({ path, message: opts.min === 1 ? 'must not be empty' : `must be at least ${opts.min} characters` });
    if (opts.max !== undefined && s.length > opts.max)
      issues.push({ path, message: `must be at most ${opts.max} characters` });
    applyRules(s, opts.rules ?? [], path, issues);
    const problem = opts.problem?.(s);
    if (problem) issues.push({ path, message: problem });
    return s;
  });

export const whole = (min: number, max?: number) =>
  schema<number>((value, path, issues) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
      issues.push({
        path,
        message: `must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`,
      });
    }
    return value as number;
  });

/** A share: a number from 0 to 1. */
export const share = () =>
  schema<number>((value, path, issues) => {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      issues.push({ path, message: 'must be a number from 0 to 1' });
    return value as number;
  });

export const oneOf = <T extends string>(values: readonly T[], fallback?: T) =>
  schema<T>((value, path, issues) => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (!values.includes(value as T)) issues.push({ path, message: `must be one of ${values.join(', ')}` });
    return value as T;
  });

export const list = <T>(item: Schema<T>, opts: { min?: number; rules?: Rule<T[]>[] } = {}) =>
  schema<T[]>((value, path, issues) => {
    if (!Array.isArray(value)) return void issues.push({ path, message: 'must be a list' }) as never;
    const before = issues.length;
    const out = value.map((v, i) => item.check(v, [...path, i], issues));
    if (opts.min !== undefined && out.length < opts.min)
      issues.push({ path, message: `needs at least ${opts.min} item(s)` });
    if (issues.length === before) applyRules(out, opts.rules ?? [], path, issues);
    return out;
  });

type Shape = Record<string, Schema<unknown>>;
type Output<S extends Shape, R extends keyof S> = { [K in R]: ReturnType<S[K]['check']> } & {
  [K in Exclude<keyof S, R>]?: ReturnType<S[K]['check']>;
};

/** An object with only these fields; those not in `required` may be absent (or fill in their default). */
export const object = <S extends Shape, R extends keyof S = never>(
  shape: S,
  opts: { required?: readonly R[]; rules?: Rule<Output<S, R>>[] } = {},
) =>
  schema<Output<S, R>>((value, path, issues) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return void issues.push({ path, message: 'must be an object' }) as never;
    }
    const before = issues.length;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (!(key in shape)) issues.push({ path, message: `has an unknown field "${key}"` });
    }
    for (const [key, field] of Object.entries(shape)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) {
        // A field with a default fills in; a required one without a default is missing.
        const filled = field.check(undefined, [...path, key], []);
        if (filled !== undefined) out[key] = filled;
        else if ((opts.required as readonly string[] | undefined)?.includes(key)) {
          issues.push({ path: [...path, key], message: 'is required' });
        }
        continue;
      }
      out[key] = field.check(v, [...path, key], issues);
    }
    if (issues.length === before) applyRules(out as Output<S, R>, opts.rules ?? [], path, issues);
    return out as Output<S, R>;
  });

/** Every issue as `path: message`, joined; what a rejected signal records. */
export const describeIssues = (error: { issues: Issue[] }): string =>
  error.issues.map((i) => `${i.path.join('.') || '(argument)'}: ${i.message}`).join('; ');
