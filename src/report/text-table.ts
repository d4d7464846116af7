/**
 * Borderless aligned columns for the terminal report. Hand-written: the SDK has no runtime
 * dependency for tables, and a dozen lines of padding serve every table the report prints.
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Printed width of a string: escape codes take no room. */
export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

export type Align = 'left' | 'right';

/** Rows under a heading row, each line indented by two spaces, columns two spaces apart. */
export function textTable(head: string[], rows: string[][], align: Align[]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => visibleLength(r[i] ?? ''))));
  const pad = (s: string, i: number): string => {
    const gap = ' '.repeat(widths[i] - visibleLength(s));
    return align[i] === 'right' ? gap + s : s + gap;
  };
  return all.map((r) => `  ${head.map((_, i) => pad(r[i] ?? '', i)).join('  ')}`).join('\n');
}
