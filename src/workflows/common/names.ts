/**
 * One rule for capture names and binding targets: both become folders under the data dir
 * (`<data>/collections/<target>/<hour>.jsonl`) and parts of workflow IDs.
 */
export const MAX_NAME_LENGTH = 200;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `name` cannot name a capture or collection, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters; the limit is ${MAX_NAME_LENGTH}`;
  const segments = name.split('/');
  if (segments.some((s) => s === '')) {
    return `'${name}' has an empty part (a leading, trailing or doubled /)`;
  }
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    return (
      `'${name}' has the part '${bad}'; each part between / must start with a letter or digit ` +
      'and use only letters, digits, . _ -'
    );
  }
  return undefined;
}
