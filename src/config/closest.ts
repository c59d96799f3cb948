/** Edit distance between two strings, ignoring case. */
function distance(left: string, right: string): number {
  const leftLower = left.toLowerCase();
  const rightLower = right.toLowerCase();
  let row = Array.from({ length: rightLower.length + 1 }, (_, j) => j);
  for (let i = 1; i <= leftLower.length; i++) {
    const next = [i];
    for (let j = 1; j <= rightLower.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (leftLower[i - 1] === rightLower[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[rightLower.length] ?? 0;
}

/** The choice nearest to `value`, when it is near enough to be a likely typo. */
export function closest(value: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const choice of choices) {
    const choiceDistance = distance(value, choice);
    if (choiceDistance < bestDistance) [best, bestDistance] = [choice, choiceDistance];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** `'Visitors' is not one of A, B (did you mean B?)`, for an unknown name. */
export function unknownNameMessage(value: unknown, what: string, choices: readonly string[]): string {
  const hint = typeof value === 'string' ? closest(value, choices) : undefined;
  const shown = typeof value === 'string' ? `'${value.slice(0, 60)}'` : JSON.stringify(value)?.slice(0, 60);
  return `${shown} is not ${what}; use one of ${choices.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`;
}
