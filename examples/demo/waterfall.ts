import { SpanKind, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { ATTR_EXECUTION_ID, ATTR_PHASE_CATEGORY, SCOPE_NAME, type CriticalPathEntry } from '../../src';

// Incubating GenAI attributes (not in the stable semantic-conventions entry point).
const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
const ATTR_GEN_AI_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';

/** One line of a waterfall: a span of the execution's trace, on the execution's time axis. */
export interface WaterfallRow {
  /** What to show: the span name, with the path for HTTP client spans. */
  name: string;
  /** Breakdown category of the span's own time, when it has one. */
  category?: string;
  /** `execution` (the root span), `phase` (made by agent-timing) or `span` (by another instrumentation). */
  kind: 'execution' | 'phase' | 'span';
  depth: number;
  /** ms after the execution started (spans start on a millisecond clock: ±1 ms). */
  startMs: number;
  endMs: number;
  /** Instants inside the row: the first token. */
  marks?: Array<{ atMs: number; label: string }>;
  /** Stretches of this row on the execution's critical path, [start, end] ms. */
  critical?: Array<[number, number]>;
}

const hrMs = (t: HrTime): number => t[0] * 1e3 + t[1] / 1e6;

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

/**
 * A span processor (added with `startAgentTelemetry({ spanProcessors })`) that keeps each trace's
 * spans in memory until the demo takes an execution's waterfall. The waterfall is what a trace
 * viewer would draw from the same spans, plus the SDK's critical path on top.
 */
export class WaterfallRecorder implements SpanProcessor {
  private readonly byTrace = new Map<string, ReadableSpan[]>();
  private readonly traceOf = new Map<string, string>();

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const list = this.byTrace.get(traceId);
    if (list) list.push(span);
    else this.byTrace.set(traceId, [span]);
    const executionId = span.attributes[ATTR_EXECUTION_ID];
    if (typeof executionId === 'string') this.traceOf.set(executionId, traceId);
  }

  /**
   * The execution's rows, parents before children, with the SDK's critical path laid on them (and
   * forgets its spans).
   */
  take(executionId: string, criticalPath: readonly CriticalPathEntry[]): WaterfallRow[] {
    const traceId = this.traceOf.get(executionId);
    const spans = traceId === undefined ? undefined : this.byTrace.get(traceId);
    this.traceOf.delete(executionId);
    if (traceId !== undefined) this.byTrace.delete(traceId);
    const root = spans?.find((s) => s.attributes[ATTR_EXECUTION_ID] === executionId);
    if (!spans || !root) return [];
    const t0 = hrMs(root.startTime);
    const children = new Map<string, ReadableSpan[]>();
    for (const s of spans) {
      const parent = s.parentSpanContext?.spanId;
      if (s === root || parent === undefined) continue;
      children.set(parent, [...(children.get(parent) ?? []), s]);
    }
    const rows: WaterfallRow[] = [];
    const operations: string[] = [];
    const visit = (span: ReadableSpan, depth: number): void => {
      const row: WaterfallRow = {
        name: nameOf(span),
        kind: span === root ? 'execution' : span.instrumentationScope.name === SCOPE_NAME ? 'phase' : 'span',
        depth,
        startMs: hrMs(span.startTime) - t0,
        endMs: hrMs(span.endTime) - t0,
      };
      const category = categoryOf(span);
      if (category) row.category = category;
      const firstChunk = span.attributes[ATTR_GEN_AI_TIME_TO_FIRST_CHUNK];
      if (typeof firstChunk === 'number') row.marks = [{ atMs: row.startMs + firstChunk * 1000, label: 'first token' }];
      rows.push(row);
      // The critical path names a phase as it was started (a tool phase's span is `execute_tool {tool}`).
      const tool = span.attributes[ATTR_GEN_AI_TOOL_NAME];
      operations.push(row.kind === 'phase' && typeof tool === 'string' ? tool : span.name);
      const kids = (children.get(span.spanContext().spanId) ?? []).sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime));
      for (const kid of kids) visit(kid, depth + 1);
    };
    visit(root, 0);
    markCriticalPath(rows, operations, criticalPath);
    return rows;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.byTrace.clear();
    this.traceOf.clear();
    return Promise.resolve();
  }
}

const overlap = (a: number, b: number, from: number, to: number): number => Math.max(0, Math.min(b, to) - Math.max(a, from));

/**
 * Gives each critical-path section to its row: of the rows with the section's operation name, the
 * one it overlaps most (span start times have millisecond resolution, so containment is too
 * strict), the deepest on a tie; the execution's own row otherwise.
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
