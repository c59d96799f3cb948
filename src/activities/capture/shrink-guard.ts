export { DEFAULT_SHRINK_GUARD } from '../../workflows/capture/bounds';

/**
 * True when a read of `read` documents would replace `stored` sharply: to nothing, or by more than `guard` of them.
 * Nothing stored cannot shrink.
 */
export function isSharpShrink(stored: number, read: number, guard: number): boolean {
  if (stored <= 0 || read >= stored) return false;
  return read === 0 || stored - read > stored * guard;
}

/**
 * What to do after a doubtful read was read again:
 * - `confirmed`: both reads agree, so the shrink is real and applies;
 * - `reread`: the reads disagree and the second does not shrink sharply, so the second replaces what is stored;
 * - `retry`: the reads disagree and both shrink sharply, so neither is trusted and nothing is replaced.
 */
export type RereadVerdict = 'confirmed' | 'reread' | 'retry';

export function judgeReread(stored: number, first: number, second: number, guard: number): RereadVerdict {
  if (second === first) return 'confirmed';
  return isSharpShrink(stored, second, guard) ? 'retry' : 'reread';
}
