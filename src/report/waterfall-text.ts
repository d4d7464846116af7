import type { WaterfallRow } from './model';
import { paint, type Colors } from './format';

const LABEL_WIDTH = 34;

const SHORT: Record<string, string> = {
  llm_processing: 'llm',
  tool_execution: 'tool',
  external_api: 'http',
  database_query: 'db',
  websocket_notification: 'ws',
  queue_wait: 'queue',
  initialization: 'init',
};

/** Covered length of [a, b) within [from, to). */
function overlap(a: number, b: number, from: number, to: number): number {
  return Math.max(0, Math.min(b, to) - Math.max(a, from));
}

/**
 * A row's bar: one cell per `totalMs / width`. A cell is █ where the row is on the critical path,
 * ░ where the row runs but something else is what the execution waited for, ▼ at the first token.
 */
function barOf(row: WaterfallRow, totalMs: number, width: number, c: Colors): string {
  const scale = totalMs / width;
  const cells: string[] = [];
  let drawn = false;
  for (let i = 0; i < width; i++) {
    const from = i * scale;
    const to = from + scale;
    const critical = (row.critical ?? []).reduce((s, [a, b]) => s + overlap(a, b, from, to), 0);
    const runs = overlap(row.startMs, row.endMs, from, to);
    const mark = row.marks?.find((m) => m.atMs >= from && m.atMs < to);
    if (mark) cells.push(c.bold(paint(c, row.category, '▼')));
    else if (critical >= scale / 2) cells.push(paint(c, row.category, '█'));
    else if (runs >= scale / 2) cells.push(c.dim(paint(c, row.category, row.kind === 'execution' ? '─' : '░')));
    else {
      cells.push(' ');
      continue;
    }
    drawn = true;
  }
  if (!drawn) {
    // Shorter than half a cell: a thin tick where it starts, so it is still visible.
    const at = Math.min(width - 1, Math.floor(row.startMs / scale));
    cells[at] = paint(c, row.category, (row.critical?.length ?? 0) > 0 ? '▌' : '▏');
  }
  return cells.join('');
}

function label(row: WaterfallRow): string {
  const text = `${'  '.repeat(row.depth)}${row.name}`;
  return text.length > LABEL_WIDTH ? `${text.slice(0, LABEL_WIDTH - 1)}…` : text.padEnd(LABEL_WIDTH);
}

function duration(ms: number): string {
  return ms >= 100 ? `${Math.round(ms).toLocaleString('en-US')} ms` : `${ms.toFixed(1)} ms`;
}

/** The execution on a time axis, one line per phase or span, critical path in solid blocks. */
export function renderWaterfallText(rows: readonly WaterfallRow[], totalMs: number, columns: number, c: Colors): string[] {
  // label, space, bar, space, duration (9), two spaces, tag (≤ 10), plus the report's indent of 2
  const width = Math.max(24, Math.min(72, columns - LABEL_WIDTH - 25));
  const lines: string[] = [];
  const ticks = width >= 48 ? 4 : 2;
  const tickAt = Array.from({ length: ticks + 1 }, (_, t) => Math.round((t * (width - 1)) / ticks));
  let axis = '';
  tickAt.forEach((at, t) => {
    const text = `${((t * totalMs) / ticks / 1000).toFixed(totalMs < 4000 ? 2 : 1)} s`;
    const pos = t === ticks ? at + 1 - text.length : at; // labels start at their tick; the last ends at it
    if (axis === '' || pos > axis.length) axis = axis.padEnd(pos) + text; // skip a label that would touch the previous one
  });
  lines.push(c.dim(`${''.padEnd(LABEL_WIDTH)} ${axis}`));
  const ruler = Array.from({ length: width }, (_, i) => (i === width - 1 ? '┐' : tickAt.includes(i) ? '┬' : '─')).join('');
  lines.push(c.dim(`${''.padEnd(LABEL_WIDTH)} ${ruler}`));
  for (const row of rows) {
    const d = duration(row.endMs - row.startMs).padStart(9);
    const tag = row.kind === 'span' ? 'http, auto' : (SHORT[row.category ?? ''] ?? '');
    const name = row.kind === 'execution' ? c.bold(label(row)) : row.kind === 'span' ? c.italic(label(row)) : label(row);
    lines.push(`${name} ${barOf(row, totalMs, width, c)} ${d}  ${c.dim(tag)}`);
  }
  return lines;
}
