/** Edit distance between two strings, ignoring case. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[y.length] ?? 0;
}

/** The choice nearest to `value`, when it is near enough to be a likely typo. */
export function closest(value: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of choices) {
    const d = distance(value, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** `'Visitors' is not one of A, B (did you mean B?)`, for an unknown name. */
export function unknownNameMessage(value: unknown, what: string, choices: readonly string[]): string {
  const hint = typeof value === 'string' ? closest(value, choices) : undefined;
  const shown = typeof value === 'string' ? `'${value.slice(0, 60)}'` : JSON.stringify(value)?.slice(0, 60);
  return `${shown} is not ${what}; use one of ${choices.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`;
}
