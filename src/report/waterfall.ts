import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { redactValue } from '../internal/redaction';
import { limits } from '../internal/limits';
import { ATTR_EXECUTION_ID, ATTR_METADATA_PREFIX, ATTR_PHASE_CATEGORY, EVENT_FIRST_TOKEN, SCOPE_NAME } from '../spans/names';
import type { CriticalPathEntry } from '../breakdown/critical-path';
import type { WaterfallRow } from './model';

// Incubating GenAI attributes (not in the stable semantic-conventions entry point).
const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
const ATTR_GEN_AI_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
/** Most attributes and events shown per row (the rest are counted in a `…` entry). */
const MAX_ATTRIBUTES = 32;
const MAX_EVENTS = 16;

const hrMs = (t: HrTime): number => t[0] * 1e3 + t[1] / 1e6;

type Scalar = string | number | boolean;

function categoryOf(span: ReadableSpan): string | undefined {
  const own = span.attributes[ATTR_PHASE_CATEGORY];
  if (typeof own === 'string') return own;
  if (span.kind === SpanKind.CLIENT && span.attributes[ATTR_HTTP_REQUEST_METHOD] !== undefined) return 'external_api';
  return undefined;
}

function nameOf(span: ReadableSpan): string {
  const path = span.attributes[ATTR_URL_PATH];
  return span.kind === SpanKind.CLIENT && typeof path === 'string' ? `${span.name} ${path}` : span.name;
}

function scalar(v: unknown): Scalar | undefined {
  if (typeof v === 'string') return v.length > limits.maxAttributeLength ? `${v.slice(0, limits.maxAttributeLength)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return scalar(v.map((x) => String(x)).join(', '));
  return undefined;
}

/**
 * Attributes as the page shows them: each passes the redaction rules (our phase metadata was
 * redacted before it became an attribute; another instrumentation's attributes are redacted here
 * by their key, `agent_timing.metadata.` stripped).
 */
function attributesOf(attrs: Record<string, unknown> | undefined): Record<string, Scalar> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, Scalar> = {};
  let n = 0;
  let more = 0;
  for (const key of Object.keys(attrs)) {
    const bare = key.startsWith(ATTR_METADATA_PREFIX) ? key.slice(ATTR_METADATA_PREFIX.length) : key;
    const kept = scalar(redactValue(bare, attrs[key]));
    if (kept === undefined) continue;
    if (n++ >= MAX_ATTRIBUTES) {
      more++;
      continue;
    }
    out[key] = kept;
  }
  if (more > 0) out['…'] = `${more} more`;
  return n > 0 ? out : undefined;
}

/**
 * The execution's rows, parents before children, from the spans of its trace. With `criticalPath`
 * (the collector's own) each section is laid on the row it names; without, the critical path is
 * computed from the rows themselves, the way Jaeger UI does.
 */
export function waterfallFromSpans(
  spans: readonly ReadableSpan[],
  executionId: string,
  criticalPath?: readonly CriticalPathEntry[],
): { rows: WaterfallRow[]; criticalPath: CriticalPathEntry[]; traceId?: string } {
  const root = spans.find((s) => s.attributes[ATTR_EXECUTION_ID] === executionId);
  if (!root) return { rows: [], criticalPath: [] };
  const t0 = hrMs(root.startTime);
  const children = new Map<string, ReadableSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId;
    if (s === root || parent === undefined) continue;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  const rows: WaterfallRow[] = [];
  const operations: string[] = [];
  const kidsOf: number[][] = [];
  const visit = (span: ReadableSpan, depth: number): number => {
    const row: WaterfallRow = {
      name: nameOf(span),
      kind: span === root ? 'execution' : span.instrumentationScope.name === SCOPE_NAME ? 'phase' : 'span',
      depth,
      startMs: hrMs(span.startTime) - t0,
      endMs: hrMs(span.endTime) - t0,
      spanId: span.spanContext().spanId,
    };
    const category = categoryOf(span);
    if (category) row.category = category;
    const attributes = attributesOf(span.attributes);
    if (attributes) row.attributes = attributes;
    if (span.status.code === SpanStatusCode.ERROR) row.error = scalar(span.status.message ?? 'error')?.toString() ?? 'error';
    const marks: Array<{ atMs: number; label: string }> = [];
    const firstChunk = span.attributes[ATTR_GEN_AI_TIME_TO_FIRST_CHUNK];
    if (typeof firstChunk === 'number') marks.push({ atMs: row.startMs + firstChunk * 1000, label: 'first token' });
    if (span.events.length > 0) {
      row.events = span.events.slice(0, MAX_EVENTS).map((e) => {
        const ev: NonNullable<WaterfallRow['events']>[number] = { name: e.name, atMs: hrMs(e.time) - t0 };
        const a = attributesOf(e.attributes);
        if (a) ev.attributes = a;
        if (e.name === EVENT_FIRST_TOKEN && marks.length === 0) marks.push({ atMs: ev.atMs, label: 'first token' });
        return ev;
      });
    }
    if (marks.length) row.marks = marks;
    const index = rows.length;
    rows.push(row);
    kidsOf.push([]);
    // The critical path names a phase as it was started (a tool phase's span is `execute_tool {tool}`).
    const tool = span.attributes[ATTR_GEN_AI_TOOL_NAME];
    operations.push(row.kind === 'phase' && typeof tool === 'string' ? tool : span.name);
    const kids = (children.get(span.spanContext().spanId) ?? []).sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime));
    for (const kid of kids) kidsOf[index].push(visit(kid, depth + 1));
    return index;
  };
  visit(root, 0);
  for (let i = 0; i < rows.length; i++) rows[i].selfMs = selfTime(rows, i, kidsOf[i]);
  let path: CriticalPathEntry[];
  if (criticalPath) {
    path = [...criticalPath];
    markCriticalPath(rows, operations, path);
  } else path = criticalPathOfRows(rows, kidsOf);
  return { rows, criticalPath: path, traceId: root.spanContext().traceId };
}

/** A row's time not covered by any of its children (their union, clipped to the row). */
function selfTime(rows: WaterfallRow[], i: number, kids: number[]): number {
  const r = rows[i];
  const spans = kids.map((k) => [Math.max(r.startMs, rows[k].startMs), Math.min(r.endMs, rows[k].endMs)]).filter(([a, b]) => b > a);
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (a > end) {
      covered += b - a;
      end = b;
    } else if (b > end) {
      covered += b - end;
      end = b;
    }
  }
  return Math.max(0, r.endMs - r.startMs - covered);
}

const overlap = (a: number, b: number, from: number, to: number): number => Math.max(0, Math.min(b, to) - Math.max(a, from));

/**
 * Gives each critical-path section to its row: of the rows with the section's operation name, the
 * one it overlaps most (span start times and the collector's clock can differ by a fraction of a
 * millisecond), the deepest on a tie; the execution's own row otherwise.
 */
function markCriticalPath(rows: WaterfallRow[], operations: string[], path: readonly CriticalPathEntry[]): void {
  for (const section of path) {
    const from = section.startOffsetMs;
    const to = from + section.durationMs;
    let best = 0;
    let bestOverlap = 0;
    rows.forEach((row, i) => {
      if (i === 0 || operations[i] !== section.operation) return;
      const o = overlap(row.startMs - 1, row.endMs + 1, from, to);
      if (o > bestOverlap || (o === bestOverlap && o > 0 && row.depth > rows[best].depth)) {
        best = i;
        bestOverlap = o;
      }
    });
    (rows[best].critical ??= []).push([from, to]);
  }
}

/**
 * The critical path over the rows, as Jaeger UI computes it: from the end of the root, walk back
 * through the child that finished last; a child that overlaps the one already taken counts only
 * for its part before it; time between children is the parent's own. Children are clipped to their parent. Iterative.
 */
function criticalPathOfRows(rows: WaterfallRow[], kidsOf: number[][]): CriticalPathEntry[] {
  const sections: Array<{ row: number; from: number; to: number }> = [];
  // Each frame: a row and the stretch [from, to] of it still to explain, walking back in time.
  const stack: Array<{ row: number; from: number; to: number }> = [{ row: 0, from: rows[0].startMs, to: rows[0].endMs }];
  while (stack.length) {
    const { row, from, to } = stack.pop()!;
    const kids = kidsOf[row]
      .map((k) => ({ k, s: Math.max(from, rows[k].startMs), e: Math.min(to, rows[k].endMs) }))
      .filter((c) => c.e > c.s)
      .sort((a, b) => b.e - a.e);
    let cursor = to;
    const pushBack: Array<{ row: number; from: number; to: number }> = [];
    for (const c of kids) {
      if (c.s >= cursor) continue; // wholly inside the child already on the path
      // A child that overlaps the one already taken counts for its part before it (span clocks of
      // siblings can disagree by a fraction of a millisecond).
      c.e = Math.min(c.e, cursor);
      if (cursor > c.e) pushBack.push({ row: -1 - row, from: c.e, to: cursor });
      pushBack.push({ row: c.k, from: c.s, to: c.e });
      cursor = c.s;
    }
    if (cursor > from) pushBack.push({ row: -1 - row, from, to: cursor });
    // pushBack is latest-first; the stack pops the last pushed first, so push earliest last.
    for (const p of pushBack) {
      if (p.row < 0) sections.push({ row: -1 - p.row, from: p.from, to: p.to });
      else stack.push(p);
    }
  }
  sections.sort((a, b) => a.from - b.from);
  const path: CriticalPathEntry[] = [];
  for (const s of sections) {
    const r = rows[s.row];
    (r.critical ??= []).push([s.from, s.to]);
    const entry: CriticalPathEntry = { operation: r.name, durationMs: s.to - s.from, startOffsetMs: s.from };
    if (r.category) entry.category = r.category as CriticalPathEntry['category'];
    path.push(entry);
  }
  for (const r of rows) r.critical?.sort((a, b) => a[0] - b[0]);
  return path;
}
