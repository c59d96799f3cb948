import { formatDuration } from './durations';

/**
 * A few validators for signal arguments, checked inside workflows. Not zod: Temporal's reusable V8 context
 * evaluates every bundled module once per cached workflow, and zod alone would cost about 1 MB of worker memory
 * per workflow (measured with bench:scale). Results have zod's `safeParse` shape.
 */
export interface Issue {
  path: (string | number)[];
  message: string;
}
export type SafeParse<Value> = { success: true; data: Value } | { success: false; error: { issues: Issue[] } };
type Check<Value> = (value: unknown, path: (string | number)[], issues: Issue[]) => Value;
type Rule<Value> = [test: (value: Value) => boolean, message: string];

export interface Schema<Value> {
  check: Check<Value>;
  safeParse(value: unknown): SafeParse<Value>;
  parse(value: unknown): Value;
}

function schema<Value>(check: Check<Value>): Schema<Value> {
  const safeParse = (value: unknown): SafeParse<Value> => {
    const issues: Issue[] = [];
    const data = check(value, [], issues);
    return issues.length ? { success: false, error: { issues } } : { success: true, data };
  };
  return {
    check,
    safeParse,
    parse(value) {
      const result = safeParse(value);
      if (!result.success) throw new Error(describeIssues(result.error));
      return result.data;
    },
  };
}

function applyRules<Value>(value: Value, rules: Rule<Value>[], path: (string | number)[], issues: Issue[]): void {
  for (const [test, message] of rules) if (!test(value)) issues.push({ path, message });
}

export const text = (
  opts: {
    min?: number;
    max?: number;
    trim?: boolean;
    rules?: Rule<string>[];
    /** Says what is wrong with the text, or undefined when nothing is. */
    problem?: (value: string) => string | undefined;
  } = {},
) =>
  schema<string>((value, path, issues) => {
    if (typeof value !== 'string') return void issues.push({ path, message: 'must be text' }) as never;
    const checked = opts.trim ? value.trim() : value;
    if (opts.min !== undefined && checked.length < opts.min)
      issues.push({ path, message: opts.min === 1 ? 'must not be empty' : `must be at least ${opts.min} characters` });
    if (opts.max !== undefined && checked.length > opts.max)
      issues.push({ path, message: `must be at most ${opts.max} characters` });
    applyRules(checked, opts.rules ?? [], path, issues);
    const problem = opts.problem?.(checked);
    if (problem) issues.push({ path, message: problem });
    return checked;
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

/** A duration in whole milliseconds; the message speaks in the units a person writes (`90s`, `5m`, `24h`). */
export const millis = (min: number, max: number) =>
  schema<number>((value, path, issues) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      issues.push({ path, message: 'must be a whole number of milliseconds' });
    } else if (value < min || value > max) {
      issues.push({ path, message: `must be between ${formatDuration(min)} and ${formatDuration(max)}` });
    }
    return value as number;
  });

/** An instant in whole milliseconds since 1970, not before `earliest`; `why` says what is wrong with earlier ones. */
export const instant = (earliest: number, why: string) =>
  schema<number>((value, path, issues) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      issues.push({ path, message: 'must be a whole number of milliseconds since 1970-01-01T00:00:00Z' });
    } else if (value < earliest) {
      issues.push({ path, message: `is before ${new Date(earliest).toISOString()}; ${why}` });
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

export const oneOf = <Value extends string>(values: readonly Value[], fallback?: Value) =>
  schema<Value>((value, path, issues) => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (!values.includes(value as Value)) issues.push({ path, message: `must be one of ${values.join(', ')}` });
    return value as Value;
  });

export const list = <Item>(item: Schema<Item>, opts: { min?: number; rules?: Rule<Item[]>[] } = {}) =>
  schema<Item[]>((value, path, issues) => {
    if (!Array.isArray(value)) return void issues.push({ path, message: 'must be a list' }) as never;
    const before = issues.length;
    const out = value.map((v, i) => item.check(v, [...path, i], issues));
    if (opts.min !== undefined && out.length < opts.min)
      issues.push({ path, message: `needs at least ${opts.min} item(s)` });
    if (issues.length === before) applyRules(out, opts.rules ?? [], path, issues);
    return out;
  });

type Shape = Record<string, Schema<unknown>>;
type Output<Fields extends Shape, Required extends keyof Fields> = {
  [Key in Required]: ReturnType<Fields[Key]['check']>;
} & {
  [Key in Exclude<keyof Fields, Required>]?: ReturnType<Fields[Key]['check']>;
};

/** An object with only these fields; those not in `required` may be absent (or fill in their default). */
export const object = <Fields extends Shape, Required extends keyof Fields = never>(
  shape: Fields,
  opts: { required?: readonly Required[]; rules?: Rule<Output<Fields, Required>>[] } = {},
) =>
  schema<Output<Fields, Required>>((value, path, issues) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return void issues.push({ path, message: 'must be an object' }) as never;
    }
    const before = issues.length;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (!(key in shape)) issues.push({ path, message: `has an unknown field "${key}"` });
    }
    for (const [key, field] of Object.entries(shape)) {
      const given = (value as Record<string, unknown>)[key];
      if (given === undefined) {
        // A field with a default fills in; a required one without a default is missing.
        const filled = field.check(undefined, [...path, key], []);
        if (filled !== undefined) out[key] = filled;
        else if ((opts.required as readonly string[] | undefined)?.includes(key)) {
          issues.push({ path: [...path, key], message: 'is required' });
        }
        continue;
      }
      out[key] = field.check(given, [...path, key], issues);
    }
    if (issues.length === before) applyRules(out as Output<Fields, Required>, opts.rules ?? [], path, issues);
    return out as Output<Fields, Required>;
  });

/** Every issue as `path: message`, joined; what a rejected signal records. */
export const describeIssues = (error: { issues: Issue[] }): string =>
  error.issues.map((i) => `${i.path.join('.') || '(argument)'}: ${i.message}`).join('; ');
