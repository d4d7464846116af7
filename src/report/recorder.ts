import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { reportDrop } from '../internal/diag';
import { ATTR_EXECUTION_ID } from '../spans/names';
import { onExecutionComplete } from '../api/completion';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD } from '../breakdown/categories';
import { createPhaseDurations, type TimingBreakdown, type TimingBreakdownData } from '../breakdown/timing-breakdown';
import type { ReportExecution } from './build';
import type { WaterfallRow } from './model';
import { waterfallFromSpans } from './waterfall';

/** Options of the ReportRecorder (and of `startAgentTelemetry({ report })`). */
export interface ReportRecorderOptions {
  /** Most recent executions kept with their spans (waterfall, attributes, events). Default 50. */
  recentExecutions?: number;
  /** Slowest executions kept with their spans, beside the recent ones. Default 10. */
  slowestExecutions?: number;
  /** Completed executions listed (breakdown only, no spans) for the executions chart and throughput. Default 1000. */
  listedExecutions?: number;
  /** Keep at most one recent execution with its spans per this many ms (the slowest are kept whatever
   *  the rate): under a high load the recent set then covers the last seconds without holding the
   *  spans of every execution. 0 keeps every one. Default 100. */
  recentEveryMs?: number;
  /** Most traces whose spans wait for their execution to complete; the oldest is dropped beyond. Default 256. */
  maxPendingTraces?: number;
  /** Most spans kept per trace; more are dropped (and counted). Default 256. */
  maxSpansPerTrace?: number;
}

/** What ReportRecorder.snapshot() returns. */
export interface RecorderSnapshot {
  executions: ReportExecution[];
  waterfalls: Record<string, WaterfallRow[]>;
  kept: number;
}

const FIELDS = BREAKDOWN_CATEGORIES.map((c) => CATEGORY_FIELD[c]);
const STRIDE = 4 + FIELDS.length;

interface Kept {
  breakdown: TimingBreakdown;
  spans: ReadableSpan[];
  /** Built on first read. */
  built?: ReportExecution;
}

function positive(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < 0) throw new TypeError(`agent-timing: report.${name} must be a whole number ≥ 0 (got ${String(v)})`);
  return v;
}

/**
 * Keeps a bounded set of completed executions for the report: the latest `recentExecutions` (at
 * most one per `recentEveryMs`) and the `slowestExecutions` slowest, each with the spans of its
 * trace, and a ring of the latest `listedExecutions` breakdowns (their numbers only). On the hot path it only stores references: a span's end appends
 * it to its trace's list, an execution's completion moves that list into a ring slot. Waterfall
 * rows, redaction and the critical path are computed when the report is read.
 *
 * Memory: at most (recent + slowest) executions × maxSpansPerTrace spans, plus maxPendingTraces ×
 * maxSpansPerTrace spans in flight, plus 104 bytes and the id string per listed execution.
 */
export class ReportRecorder implements SpanProcessor {
  private readonly recentCap: number;
  private readonly slowestCap: number;
  private readonly listCap: number;
  private readonly pendingCap: number;
  private readonly spansCap: number;
  private readonly pending = new Map<string, ReadableSpan[]>();
  /** The trace of the span that ended last, its list, and whether that list is in `pending` too. */
  private curTraceId: string | undefined;
  private curList: ReadableSpan[] | undefined;
  private curInMap = false;
  /** The execution whose root span ended last (its completion follows), with its spans. */
  private endedId: string | undefined;
  private endedList: ReadableSpan[] | undefined;
  /** Spans of executions whose root span has ended, until the completion hook takes them. */
  private readonly ended = new Map<string, ReadableSpan[]>();
  private readonly recent: Array<Kept | undefined>;
  private recentNext = 0;
  /** Ascending by total time. */
  private readonly slowest: Kept[] = [];
  private readonly recentEveryMs: number;
  private lastRecentAt = -Infinity;
  // The listed executions, in a ring of fixed arrays: nothing is allocated or kept alive per
  // execution but its id and agent name (retaining each breakdown object would promote ~1 KB per
  // execution to the old generation).
  private readonly listedId: Array<string | undefined>;
  private readonly listedAgent: string[];
  /** Per slot: startedAt, totalMs, ttftMs (NaN: none), failed (0/1), then the categories' ms. */
  private readonly listedNum: Float64Array;
  private listedNext = 0;
  private completedCount = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly shutdownListeners: Array<() => void> = [];
  /** Changes whenever an execution is kept: the live page polls for it. */
  version = 0;

  constructor(options: ReportRecorderOptions = {}) {
    this.recentCap = positive('recentExecutions', options.recentExecutions, 50);
    this.slowestCap = positive('slowestExecutions', options.slowestExecutions, 10);
    this.listCap = Math.max(1, positive('listedExecutions', options.listedExecutions, 1000));
    this.pendingCap = Math.max(1, positive('maxPendingTraces', options.maxPendingTraces, 256));
    this.spansCap = Math.max(1, positive('maxSpansPerTrace', options.maxSpansPerTrace, 256));
    this.recent = new Array<Kept | undefined>(this.recentCap).fill(undefined);
    this.recentEveryMs = positive('recentEveryMs', options.recentEveryMs, 100);
    this.listedId = new Array<string | undefined>(this.listCap).fill(undefined);
    this.listedAgent = new Array<string>(this.listCap).fill('');
    this.listedNum = new Float64Array(this.listCap * STRIDE);
    this.unsubscribe = onExecutionComplete((b) => this.onComplete(b));
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    // The trace being recorded sits outside the `pending` map until a span of another trace ends:
    // spans mostly end trace by trace (an execution's phases, then its root), so a sequential agent
    // touches no Map at all (the Map's set and delete were most of this method in a profile).
    let list = this.curList;
    if (traceId !== this.curTraceId) {
      if (this.curTraceId !== undefined && !this.curInMap) this.park(this.curTraceId, this.curList!);
      list = this.pending.get(traceId);
      this.curInMap = list !== undefined;
      if (list === undefined) list = [];
      this.curTraceId = traceId;
      this.curList = list;
    }
    const executionId = span.attributes[ATTR_EXECUTION_ID];
    // An execution's root span is always kept: the waterfall hangs from it.
    if (list!.length < this.spansCap || typeof executionId === 'string') list!.push(span);
    else reportDrop('report-spans-per-trace', `the report kept the first ${this.spansCap} spans of a trace (raise report.maxSpansPerTrace)`);
    if (typeof executionId === 'string') {
      // The execution's root span: its trace's spans so far are what its waterfall draws. The list
      // stays pending when the execution is nested in a longer trace (a parent execution).
      if (span.parentSpanContext === undefined || span.parentSpanContext.isRemote) {
        if (this.curInMap) this.pending.delete(traceId);
        this.curTraceId = undefined;
        this.curList = undefined;
        this.curInMap = false;
      }
      // Its completion follows at once (complete() ends the root span, then publishes): one slot,
      // and a bounded map for the rare root whose completion has not come before the next one ends.
      if (this.endedId !== undefined) {
        if (this.ended.size >= 64) this.ended.delete(this.ended.keys().next().value as string);
        this.ended.set(this.endedId, this.endedList!);
      }
      this.endedId = executionId;
      this.endedList = list;
    }
  }

  /** Puts a trace's list into `pending`, dropping the oldest trace's beyond maxPendingTraces (the current one counts). */
  private park(traceId: string, list: ReadableSpan[]): void {
    if (this.pending.size >= this.pendingCap - 1) {
      const oldest = this.pendingCap > 1 ? (this.pending.keys().next().value as string) : traceId;
      this.pending.delete(oldest);
      reportDrop('report-pending-trace', `the report dropped the spans of a trace still waiting for its execution (more than ${this.pendingCap} traces in flight: raise report.maxPendingTraces)`);
      if (oldest === traceId) return;
    }
    this.pending.set(traceId, list);
  }

  private onComplete(b: TimingBreakdown): void {
    this.completedCount++;
    const slot = this.listedNext;
    this.listedNext = (slot + 1) % this.listCap;
    this.listedId[slot] = b.executionId;
    this.listedAgent[slot] = b.agentName;
    const num = this.listedNum;
    let at = slot * STRIDE;
    num[at++] = b.startedAt;
    num[at++] = b.totalMs;
    num[at++] = b.ttftMs === undefined ? NaN : b.ttftMs;
    num[at++] = b.outcome === 'error' ? 1 : 0;
    for (let i = 0; i < FIELDS.length; i++) num[at + i] = b[FIELDS[i]];
    let spans: ReadableSpan[] | undefined;
    if (b.executionId === this.endedId) {
      spans = this.endedList;
      this.endedId = undefined;
      this.endedList = undefined;
    } else {
      spans = this.ended.get(b.executionId);
      if (spans !== undefined) this.ended.delete(b.executionId);
    }
    const s = this.slowest;
    const slow = this.slowestCap > 0 && (s.length < this.slowestCap || b.totalMs > s[0].breakdown.totalMs);
    const now = b.startedAt + b.totalMs;
    const recent = this.recentCap > 0 && now - this.lastRecentAt >= this.recentEveryMs;
    this.version++;
    if (!slow && !recent) return;
    const kept: Kept = { breakdown: b, spans: spans ?? [] };
    if (recent) {
      this.lastRecentAt = now;
      this.recent[this.recentNext] = kept;
      this.recentNext = (this.recentNext + 1) % this.recentCap;
    }
    if (slow) {
      if (s.length >= this.slowestCap) s.shift();
      let i = s.length;
      while (i > 0 && s[i - 1].breakdown.totalMs > b.totalMs) i--;
      s.splice(i, 0, kept);
    }
  }

  /** Traces whose spans wait for their execution's root span (at most maxPendingTraces). */
  get pendingTraces(): number {
    return this.pending.size + (this.curTraceId !== undefined && !this.curInMap ? 1 : 0);
  }

  /** Executions completed since the recorder started. */
  get completed(): number {
    return this.completedCount;
  }

  /**
   * The listed executions (oldest first) and, for the kept ones, their waterfalls. Builds rows for
   * executions read for the first time.
   */
  snapshot(): RecorderSnapshot {
    const steps = this.snapshotSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** snapshot() in steps: one kept execution's waterfall per step, then one pass over the list. */
  *snapshotSteps(): Generator<void, RecorderSnapshot, void> {
    const keptList = [...this.slowest, ...this.recent.filter((k): k is Kept => k !== undefined)];
    for (const k of keptList) {
      if (k.built) continue;
      k.built = this.build(k);
      yield;
    }
    const byId = new Map<string, ReportExecution>();
    const waterfalls: Record<string, WaterfallRow[]> = Object.create(null) as Record<string, WaterfallRow[]>;
    for (const k of keptList) {
      // A kept execution is built above; one kept while this ran (between steps) is built here.
      const built = (k.built ??= this.build(k));
      byId.set(k.breakdown.executionId, built);
      if (built.waterfall && built.waterfall.length) waterfalls[k.breakdown.executionId] = built.waterfall;
    }
    const executions: ReportExecution[] = [];
    // The ring as it is now (executions completing between the steps below do not move it).
    const from = this.listedNext;
    const ids = this.listedId.slice();
    const nums = this.listedNum.slice();
    const agents = this.listedAgent.slice();
    for (let i = 0; i < this.listCap; i++) {
      const slot = (from + i) % this.listCap;
      const id = ids[slot];
      if (id !== undefined) executions.push(byId.get(id) ?? { breakdown: this.listedBreakdown(slot, id, nums, agents) });
      if (i % 250 === 249) yield;
    }
    // A slow execution that has left the list is still shown.
    const listedIds = new Set(executions.map((e) => e.breakdown.executionId));
    for (const k of keptList) if (!listedIds.has(k.breakdown.executionId) && this.slowest.includes(k)) executions.push(byId.get(k.breakdown.executionId)!);
    executions.sort((a, b) => a.breakdown.startedAt - b.breakdown.startedAt);
    return { executions, waterfalls, kept: Object.keys(waterfalls).length };
  }

  private listedBreakdown(slot: number, executionId: string, num: Float64Array, agents: readonly string[]): TimingBreakdownData {
    let at = slot * STRIDE;
    const b = {
      executionId,
      agentName: agents[slot],
      startedAt: num[at++],
      totalMs: num[at++],
      phases: createPhaseDurations(),
      completed: true,
      openPhases: [],
      foreignSpanCount: 0,
    } as unknown as TimingBreakdownData;
    const ttft = num[at++];
    if (ttft === ttft) b.ttftMs = ttft;
    b.outcome = num[at++] === 1 ? 'error' : 'success';
    for (let i = 0; i < FIELDS.length; i++) (b as unknown as Record<string, number>)[FIELDS[i]] = num[at + i];
    return b;
  }

  private build(k: Kept): ReportExecution {
    const { rows, criticalPath, traceId } = waterfallFromSpans(k.spans, k.breakdown.executionId);
    const out: ReportExecution = { breakdown: k.breakdown, waterfall: rows, criticalPath };
    if (traceId) out.traceId = traceId;
    k.spans = []; // the rows hold what the page needs
    return out;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Calls `fn` once when the recorder shuts down (with its tracer provider, at telemetry.shutdown()). */
  onShutdown(fn: () => void): void {
    this.shutdownListeners.push(fn);
  }

  shutdown(): Promise<void> {
    const listeners = this.shutdownListeners.splice(0);
    for (const fn of listeners) fn();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.pending.clear();
    this.curTraceId = undefined;
    this.curList = undefined;
    this.curInMap = false;
    this.endedId = undefined;
    this.endedList = undefined;
    this.ended.clear();
    return Promise.resolve();
  }
}
