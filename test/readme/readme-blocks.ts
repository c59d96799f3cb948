import { readFileSync } from 'node:fs';

export interface ShellBlock {
  /** Line of the opening fence in README.md (1-based). */
  line: number;
  text: string;
  /** Why it is not run, from a `<!-- readme-test: skip (reason) -->` comment just before the fence. */
  skip: string | null;
}

const SKIP = /^<!--\s*readme-test:\s*skip\s*\((.+)\)\s*-->$/;

/** The ```sh blocks of a Markdown file, in order; other fences (yaml, ts, ini, toml, none) are not shell. */
export function shellBlocks(file: string): ShellBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = (i: number) => lines[i] ?? '';
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)\s*$/.exec(at(i));
    if (!fence) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(at(end))) end++;
    if (end === lines.length) throw new Error(`${file}:${start + 1}: the code block is never closed`);
    if (fence[1] === 'sh') {
      let before = start - 1;
      while (before >= 0 && at(before).trim() === '') before--;
      const skip = before >= 0 ? SKIP.exec(at(before).trim()) : null;
      blocks.push({ line: start + 1, text: lines.slice(start + 1, end).join('\n'), skip: skip?.[1] ?? null });
    }
    i = end;
  }
  return blocks;
}
