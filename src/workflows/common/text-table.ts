/**
 * A table as a fenced code block with aligned columns. The Temporal UI (2.54) renders Markdown tables
 * without cell padding, so neighbouring columns run together ("statedocumentsbackfill"); monospace text
 * keeps them apart.
 */
export function codeTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  // A cell holding ``` would end the block early.
  return ['```', ...all.map(line).map((l) => l.replace(/```/g, "'''")), '```'].join('\n');
}
