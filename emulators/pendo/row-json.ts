/**
 * Each row's JSON, written once. Rows are never changed after they are made (a fault that alters one makes a new
 * object), and a window cache serves the same row objects page after page, so their text can be kept beside them;
 * a row no longer held anywhere takes its text with it.
 */
const texts = new WeakMap<object, string>();

export function rowJson(row: unknown): string {
  if (typeof row !== 'object' || row === null) return JSON.stringify(row);
  let text = texts.get(row);
  if (text === undefined) {
    text = JSON.stringify(row);
    texts.set(row, text);
  }
  return text;
}
