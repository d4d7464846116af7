import { context, createContextKey, trace, type Attributes, type Context, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { epochNow, monotonicNow, toMonotonic } from '../internal/clock';
import { reportDrop } from '../internal/diag';
import { randomExecutionId } from '../internal/execution-id';
import { limits } from '../internal/limits';
import { isThenable } from '../internal/thenable';
import { cleanName, describeForLog, metadataCopy, metadataToAttributes, truncate } from '../internal/sanitize';
import { recordExecutionMetrics } from '../otel/instruments';
import {
  ATTR_EXECUTION_DISCARDED,
  ATTR_EXECUTION_ID,
  ATTR_PHASE_CLOSED_BY_COMPLETE,
  EVENT_FIRST_TOKEN,
} from '../otel/names';
import { defaultTracer, endSpan, markSpanError, phaseSpanShape, spanOptions, startOwnSpan, type PhaseSpanShape } from '../otel/own-spans';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_WORKFLOW_NAME,
  GEN_AI_OPERATION_INVOKE_AGENT,
  GEN_AI_OPERATION_INVOKE_WORKFLOW,
} from '../otel/semconv';
import { isMetricType, type MetricType, type PerformanceMetric } from '../types/metric-type';
import { categoryFromName, categoryOfMetricType, type PhaseCategory } from './categories';
import { feedSink, notifyExecutionComplete, type BreakdownSink } from './completion';
import { criticalPath, type CriticalPathEntry } from './critical-path';
import { executionRegistry, type Evictable } from './execution-registry';
import { activeScope, runInScope, type ExecutionScope } from './execution-scope';
import { ExecutionState } from './execution-state';
import { IntervalKind, type Interval } from './interval';
import { partition } from './partition';
import { PhaseBook, type NameSlot } from './phase-book';
import { inertTimer, PhaseTimer, type TimerOwner } from './phase-timer';
import { createPhaseDurations, TimingBreakdown } from './timing-breakdown';

/** Options of an execution timing collector. */
export interface ExecutionTimingCollectorOptions {
  /** Id of the execution (a span attribute, never a metric label). Default: a random UUID. */
  executionId?: string;
  /** Agent name: span name `invoke_agent {agentName}` and the metric label. Default `unknown`. */
  agentName?: string;
  /** Tracer for the execution's spans. Default: the global provider's `agent-timing` tracer. */
  tracer?: Tracer;
  /** Meter for the duration histograms. Default: the global provider's `agent-timing` meter. */
  meter?: Meter;
  /** Context the execution span starts in. Default: the active context. */
  parentContext?: Context;
  /** Extra attributes for the execution span (redacted and bounded like phase metadata; never metric labels). */
  attributes?: Attributes;
  /** Also feed the completed execution to this sink (e.g. a MetricsAggregator). */
  aggregator?: BreakdownSink;
  /** The execution is a workflow run (a supervisor's): its span is `invoke_workflow {agentName}`
   *  with `gen_ai.workflow.name`, as the GenAI conventions name workflows. Default false. */
  workflow?: boolean;
}

/** Options of startPhase(). */
export interface StartPhaseOptions {
  /** Run the phase under this running timer of the same execution instead of the current phase;
   *  `null` runs it directly under the execution. */
  parent?: PhaseTimer | null;
  /** Keep the phase off the implicit nesting stack, so phases started later (by concurrent work)
   *  do not become its children. Implied by `parent`. Default false. */
  detached?: boolean;
}

/** How an execution ended, as passed to complete(). */
export interface CompletionResult {
  success: boolean;
  error?: unknown;
}

function safeCategory(metadata: unknown, nameCategory: PhaseCategory | undefined, metricType: MetricType | undefined): PhaseCategory | undefined {
  let fromMetadata: PhaseCategory | undefined;
  if (metadata !== null && typeof metadata === 'object') {
    try {
      fromMetadata = categoryFromName((metadata as Record<string, unknown>).category);
    } catch {
      fromMetadata = undefined;
    }
  }
  return fromMetadata ?? nameCategory ?? categoryOfMetricType(metricType);
}

/**
 * Times one agent execution: phases (nested by when they start), parallel tasks, time to first
 * token and custom metrics, as OpenTelemetry spans and as an exact TimingBreakdown. Works with no
 * OpenTelemetry set-up at all; with an SDK registered, the execution is a trace and other
 * instrumentations' spans inside it land in its breakdown. Methods never throw on bad input.
 */
export class EnhancedExecutionTimingCollector implements TimerOwner, Evictable {
  readonly executionId: string;
  readonly agentName: string;
  /** @internal */
  readonly state: ExecutionState;
  /** Tracer for phase spans; undefined when telemetry is disabled or the execution's span does not
   *  record (its trace was sampled out): its phases are then intervals only. */
  private readonly tracer: Tracer | undefined;
  private readonly meter: Meter | undefined;
  private readonly sink: BreakdownSink | undefined;
  private readonly parentContext: Context;
  /** Phases started with startPhase()/measure() without a callback, innermost last. */
  private readonly phaseStack: PhaseTimer[] = [];
  /** Running timers and stopped totals, by name. */
  private readonly book = new PhaseBook();
  private readonly _metrics: PerformanceMetric[] = [];
  private finalBreakdown: TimingBreakdown | undefined;
  private readonly closedByComplete: string[] = [];
  private discarded = false;

  constructor(options?: ExecutionTimingCollectorOptions) {
    const o = readOptions(options);
    this.executionId = executionIdOf(o.executionId);
    const name = cleanName(o.agentName);
    if (name === undefined && o.agentName !== undefined) reportDrop('invalid-agent-name', 'agentName must be a non-empty string; using "unknown"');
    this.agentName = name ?? 'unknown';
    this.meter = o.meter;
    this.sink = o.aggregator;
    this.parentContext = o.parentContext !== undefined && usableContext(o.parentContext) ? o.parentContext : context.active();
    const startMs = monotonicNow();
    let rootSpan;
    if (!limits.disabled) {
      const attributes: Attributes = {};
      if (o.attributes) metadataToAttributes(o.attributes, attributes);
      const operation = o.workflow === true ? GEN_AI_OPERATION_INVOKE_WORKFLOW : GEN_AI_OPERATION_INVOKE_AGENT;
      attributes[ATTR_GEN_AI_OPERATION_NAME] = operation;
      attributes[ATTR_GEN_AI_AGENT_NAME] = this.agentName;
      if (o.workflow === true) attributes[ATTR_GEN_AI_WORKFLOW_NAME] = this.agentName;
      attributes[ATTR_EXECUTION_ID] = this.executionId;
      const tracer = o.tracer ?? defaultTracer();
      rootSpan = startOwnSpan(tracer, `${operation} ${this.agentName}`, spanOptions(attributes), this.parentContext);
      // A sampled-out execution (its span not recording) records its phases as intervals only: no
      // span per phase, while its span context stays active for trace propagation.
      this.tracer = isRecording(rootSpan) ? tracer : undefined;
    }
    this.state = new ExecutionState(this.executionId, this.agentName, startMs, epochNow(), rootSpan);
    executionRegistry.add(this);
  }

  /** Metrics added with addMetric() or measure(…, metricType), oldest first. */
  get metrics(): readonly PerformanceMetric[] {
    return this._metrics;
  }

  /** True once complete() ran (or the execution was evicted as abandoned). */
  get completed(): boolean {
    return this.state.ended;
  }

  /**
   * Starts a phase; it is a child of the phase running now, if any — or of `options.parent`, a
   * running timer of this execution, for integrations whose work arrives as start/end events
   * (such a phase stays off the implicit nesting stack, so concurrent siblings never nest).
   */
  startPhase(name: string, metadata?: Record<string, unknown>, options?: StartPhaseOptions): PhaseTimer {
    let parent: PhaseTimer | null | undefined;
    let detached = false;
    if (options !== undefined) {
      try {
        parent = options?.parent;
        detached = options?.detached === true;
      } catch {
        reportDrop('unreadable-option', 'startPhase() options could not be read (a getter or proxy threw); they were ignored');
      }
    }
    if (parent === undefined) return this.begin(name, metadata, IntervalKind.Phase, undefined, !detached);
    if (parent === null) return this.begin(name, metadata, IntervalKind.Phase, undefined, false, this.state.root);
    if (!(parent instanceof PhaseTimer) || parent.owner !== this || !parent.running) {
      reportDrop('invalid-parent-phase', 'startPhase() parent must be a running timer of the same execution; nesting by context instead');
      return this.begin(name, metadata, IntervalKind.Phase, undefined, false);
    }
    return this.begin(name, metadata, IntervalKind.Phase, undefined, false, parent.interval);
  }

  /** Stops the most recently started running phase of that name; its duration in ms. */
  stopPhase(name: string): number | undefined {
    return this.stopLatest(false, name, 'phase');
  }

  /** Starts a task that runs alongside others; overlapping tasks count wall-clock time once. */
  startParallelTask(name: string, metadata?: Record<string, unknown>): PhaseTimer {
    return this.begin(name, metadata, IntervalKind.ParallelTask, undefined, false);
  }

  stopParallelTask(name: string): number | undefined {
    return this.stopLatest(true, name, 'parallel task');
  }

  /**
   * Time to first token: ms since the execution started. Without `at`, the first token is now;
   * with `at`, it arrived then: a `performance.now()` reading, or epoch ms (`Date.now()`, a Date),
   * told apart as OpenTelemetry tells apart span times (numbers below `performance.timeOrigin` are
   * `performance.now()` readings). The earliest instant wins, from whichever source reports it
   * (this method, instrumentStream, or other instrumentations' first-chunk attributes); later calls
   * return the same value, so without `at` the first call wins. The execution span gets
   * `gen_ai.response.time_to_first_chunk` (seconds) and a `gen_ai.first_token` event at completion.
   */
  recordFirstToken(at?: number | Date): number {
    const s = this.state;
    if (at === undefined && s.firstTokenAt !== undefined) return s.firstTokenAt - s.startMs;
    if (s.ended) {
      reportDrop('call-after-complete', 'recordFirstToken() after complete() was ignored');
      return s.firstTokenAt === undefined ? NaN : s.firstTokenAt - s.startMs;
    }
    const now = monotonicNow();
    let t = now;
    if (at !== undefined) {
      const mono = toMonotonic(at);
      // A little slack either side: a timestamp taken just before the execution or read from a
      // coarser clock (Date has 1 ms steps) is still the first token of this execution.
      if (mono === undefined || mono < s.startMs - 1 || mono > now + 1) {
        reportDrop('invalid-first-token-time', 'recordFirstToken(at) with a time outside the execution (or not a time) was ignored');
        return s.firstTokenAt === undefined ? NaN : s.firstTokenAt - s.startMs;
      }
      t = Math.min(now, Math.max(s.startMs, mono));
    }
    return s.noteFirstToken(t);
  }

  /** Adds a custom metric (ms for time types, MB for memory, % for pool usage). */
  addMetric(metricType: MetricType, value: number, metadata?: Record<string, unknown>): void {
    if (this.state.ended) return reportDrop('call-after-complete', 'addMetric() after complete() was ignored');
    if (!isMetricType(metricType)) return reportDrop('invalid-metric-type', 'addMetric() with an unknown metric type was ignored');
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return reportDrop('invalid-metric-value', 'addMetric() with a value that is not a finite number ≥ 0 was ignored');
    }
    if (this._metrics.length >= limits.maxMetricsPerExecution) {
      return reportDrop('execution-metric-limit', `an execution reached ${limits.maxMetricsPerExecution} metrics; later ones were dropped`);
    }
    const m: PerformanceMetric = {
      metricType,
      value: value === 0 ? 0 : value, // -0 becomes 0
      timestamp: epochNow(),
      executionId: this.executionId,
      agentName: this.agentName,
    };
    if (metadata !== undefined) m.metadata = metadataCopy(metadata);
    this._metrics.push(m);
  }

  /**
   * Times `fn` as a phase: the phase stops when fn returns, throws, or its promise settles, and
   * when `metricType` is given its duration is also added as that metric (and sets the phase's
   * category). Inside fn, the phase is the current one for nested phases and for other
   * instrumentations' spans. Without fn, returns the running timer (`using t = c.measure('x')`).
   */
  measure<T>(name: string, metricType: MetricType | undefined, fn: () => T, metadata?: Record<string, unknown>): T;
  measure(name: string, metricType?: MetricType): PhaseTimer;
  measure<T>(name: string, metricType?: MetricType, fn?: () => T, metadata?: Record<string, unknown>): T | PhaseTimer {
    let type: MetricType | undefined;
    if (metricType !== undefined && metricType !== null) {
      if (isMetricType(metricType)) type = metricType;
      else reportDrop('invalid-metric-type', `measure(${describeForLog(name)}) with an unknown metric type: timed without a metric`);
    }
    if (typeof fn !== 'function') return this.begin(name, undefined, IntervalKind.Phase, type, true);
    const timer = this.begin(name, metadata, IntervalKind.Phase, type, false);
    const iv = timer.interval;
    if (!iv) return fn();
    const scope: ExecutionScope = { owner: this, state: this.state, interval: iv };
    let result: T;
    try {
      result = runInScope(scope, this.contextOf(iv), fn);
    } catch (err) {
      markSpanError(iv.span, err);
      timer.stop();
      throw err;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (value) => {
          timer.stop();
          return value;
        },
        (err: unknown) => {
          markSpanError(iv.span, err);
          timer.stop();
          throw err;
        },
      ) as T;
    }
    timer.stop();
    return result;
  }

  /**
   * Runs fn with this execution as the current one (for currentCollector(), phase parenting and
   * other instrumentations' spans), without starting a phase.
   */
  runInContext<T>(fn: () => T): T {
    if (typeof fn !== 'function') {
      reportDrop('run-in-context-not-a-function', 'runInContext(fn) needs a function; nothing was run');
      return undefined as T;
    }
    const scope: ExecutionScope = { owner: this, state: this.state, interval: undefined };
    return runInScope(scope, this.contextOf(undefined), fn);
  }

  /** Where the time went so far (mid-execution), or finally (after complete()). */
  getBreakdown(): TimingBreakdown {
    return this.finalBreakdown ?? this.computeBreakdown(monotonicNow());
  }

  /** The critical path (Jaeger's algorithm); entries' durations sum to the total. */
  getCriticalPath(): CriticalPathEntry[] {
    const root = this.state.root;
    const end = root.end === root.end ? root.end : monotonicNow();
    return criticalPath(root, this.state.intervals, end, this.agentName);
  }

  /** A JSON-safe summary: breakdown, efficiency, phases, critical path and counts. */
  getSummary(): Record<string, unknown> {
    const b = this.getBreakdown();
    return {
      executionId: this.executionId,
      agentName: this.agentName,
      completed: b.completed,
      outcome: b.outcome,
      totalMs: b.totalMs,
      ttftMs: b.ttftMs,
      efficiency: b.calculateEfficiency(),
      breakdown: b.toJSON(),
      criticalPath: this.getCriticalPath(),
      metricsCount: this._metrics.length,
      openPhases: b.openPhases,
      droppedIntervals: this.state.droppedIntervals,
    };
  }

  /**
   * Ends the execution: phases still running are closed (and listed in `openPhases`), the span
   * ends with the outcome, the histograms record it, aggregators are fed, and the final
   * breakdown is returned. Calling it again returns the same breakdown.
   */
  complete(result?: CompletionResult): TimingBreakdown {
    if (this.finalBreakdown) {
      if (this.discarded) reportDrop('complete-after-discard', 'complete() after discard() was ignored');
      else reportDrop('complete-twice', 'complete() called again; returning the first breakdown');
      return this.finalBreakdown;
    }
    if (this.state.evicted) {
      reportDrop('complete-after-eviction', `complete() on execution ${this.executionId} after it was evicted as abandoned`);
      return this.computeBreakdown(this.state.root.end);
    }
    const end = monotonicNow();
    const { failed, error } = outcomeOf(result);
    this.closeRunning(end);
    const root = this.state.root;
    root.end = end;
    const b = this.computeBreakdown(end, failed ? 'error' : 'success');
    this.finalBreakdown = b;
    this.state.ended = true;
    if (failed) markSpanError(root.span, error ?? 'execution failed');
    stampFirstToken(this.state);
    endSpan(root.span);
    executionRegistry.remove(this);
    if (!limits.disabled) recordExecutionMetrics(b, failed ? 'error' : 'success', this.meter, this.state);
    if (this.sink) feedSink(this.sink, b, this._metrics);
    notifyExecutionComplete(b, this._metrics);
    return b;
  }

  /**
   * Ends the execution without counting it: its span ends marked `agent_timing.execution.discarded`,
   * and no histogram, aggregator or completion listener sees it. For an execution that turned out
   * not to be one (say, superseded by a collector the agent made itself). Returns the breakdown so far.
   */
  discard(): TimingBreakdown {
    if (this.finalBreakdown) return this.finalBreakdown;
    if (this.state.ended) return this.computeBreakdown(this.state.root.end);
    const end = monotonicNow();
    this.closeRunning(end);
    this.state.root.end = end;
    this.finalBreakdown = this.computeBreakdown(end);
    this.discarded = true;
    this.state.ended = true;
    endSpan(this.state.root.span, { [ATTR_EXECUTION_DISCARDED]: true });
    executionRegistry.remove(this);
    return this.finalBreakdown;
  }

  /** @internal Called by the registry when the execution was never completed. */
  evict(): void {
    if (this.state.ended) return;
    const end = monotonicNow();
    this.closeRunning(end);
    this.state.root.end = end;
    this.state.ended = true;
    this.state.evicted = true;
    markSpanError(this.state.root.span, 'abandoned: never completed');
    endSpan(this.state.root.span, { 'agent_timing.abandoned': true });
    // Free what the execution held; the user may still hold the collector object itself.
    this.state.intervals.length = 0;
    this.state.openForeign = undefined;
    this.phaseStack.length = 0;
    this.book.clear();
  }

  /** @internal PhaseTimer.stop() lands here. */
  finishTimer(timer: PhaseTimer): number {
    const end = monotonicNow();
    timer.end = end;
    const d = end - timer.start;
    this.book.finish(timer, d);
    this.unstack(timer);
    endSpan(timer.span);
    // The stopped phase's record stays for the breakdown; its span and context are released now,
    // not at completion, so an execution in flight holds no ended spans.
    timer.span = undefined;
    timer.ctx = undefined;
    if (timer.metricType !== undefined) this.addMetric(timer.metricType, d);
    return d;
  }

  private begin(
    name: string,
    metadata: Record<string, unknown> | undefined,
    kind: IntervalKind,
    metricType: MetricType | undefined,
    onStack: boolean,
    explicitParent?: Interval,
  ): PhaseTimer {
    if (this.state.ended) {
      reportDrop('call-after-complete', 'starting a phase after complete() was ignored');
      return inertTimer(name);
    }
    const clean = cleanName(name);
    if (clean === undefined) {
      reportDrop('invalid-phase-name', 'a phase or task name must be a non-empty string; the call was ignored');
      return inertTimer(name);
    }
    const slot = this.book.find(clean);
    const category = safeCategory(metadata, slot ? slot.nameCategory : categoryFromName(clean), metricType);
    const parent = explicitParent ?? this.parentFor();
    if (!this.state.hasRoom()) return inertTimer(clean);
    const timer = new PhaseTimer(clean, this, kind, monotonicNow(), parent ?? this.state.root, category, metricType);
    this.state.intervals.push(timer);
    if (this.tracer) {
      const shape = this.spanShape(clean, category, kind === IntervalKind.ParallelTask, metadata, slot);
      const parentSpan = (parent ?? this.state.root).span;
      timer.span = startOwnSpan(this.tracer, shape.spanName, shape.options, this.contextOf(parent), parentSpan !== undefined);
    }
    this.book.add(timer, slot);
    if (onStack) this.phaseStack.push(timer);
    return timer;
  }

  /** The span shape of a phase; the name's slot keeps the metadata-less one of its own category. */
  private spanShape(name: string, category: PhaseCategory | undefined, parallel: boolean, metadata: unknown, slot: NameSlot | undefined): PhaseSpanShape {
    if (metadata !== undefined || slot === undefined || category !== slot.nameCategory) return phaseSpanShape(name, category, parallel, metadata);
    if (parallel) return (slot.taskShape ??= phaseSpanShape(name, category, true, undefined));
    return (slot.phaseShape ??= phaseSpanShape(name, category, false, undefined));
  }

  /**
   * The interval a new phase nests under. Inside a measure() callback (or runInContext) that is
   * the callback's phase, unless a phase started imperatively within it is still running; outside
   * any callback it is the innermost running startPhase() phase.
   */
  private parentFor(): Interval | undefined {
    const stack = this.phaseStack;
    // No scope of this execution was ever entered: the AsyncLocalStorage lookup cannot find one.
    if (!this.state.scoped) return stack.length ? stack[stack.length - 1] : undefined;
    const scope = activeScope();
    if (!scope || scope.owner !== this) return stack.length ? stack[stack.length - 1] : undefined;
    const within = scope.interval;
    for (let k = stack.length - 1; k >= 0; k--) {
      const iv = stack[k];
      if (within === undefined || isDescendant(iv, within)) return iv;
    }
    return within;
  }

  private stopLatest(parallel: boolean, name: string, what: string): number | undefined {
    if (!parallel) {
      // Usually the phase being stopped is the innermost one started: no name lookup then.
      const top = this.phaseStack.length ? this.phaseStack[this.phaseStack.length - 1] : undefined;
      if (top !== undefined && top.name === name && top.slot!.latestPhase === top) return top.stop();
    }
    const latest = typeof name === 'string' ? (this.book.latest(name, parallel) ?? this.book.latest(name.trim(), parallel)) : undefined;
    if (!latest) {
      reportDrop(`${what.replace(' ', '-')}-not-running`, `stopping ${what} ${describeForLog(name)} which is not running was ignored`);
      return undefined;
    }
    return latest.stop();
  }

  /** Takes a stopped timer off the implicit nesting stack. */
  private unstack(timer: PhaseTimer): void {
    const s = this.phaseStack;
    if (s.length && s[s.length - 1] === timer) s.pop();
    else {
      const at = s.lastIndexOf(timer);
      if (at >= 0) s.splice(at, 1);
    }
  }

  /** Closes every running phase and task at `end`, innermost first. */
  private closeRunning(end: number): void {
    const open = this.book.running();
    open.sort((a, b) => b.depth - a.depth);
    for (const timer of open) {
      const iv = timer.interval!;
      iv.end = end;
      const ms = end - iv.start;
      this.book.addTotal(timer, ms);
      this.closedByComplete.push(timer.name);
      if (timer.metricType !== undefined && !this.state.ended) this.addMetric(timer.metricType, ms);
      endSpan(iv.span, { [ATTR_PHASE_CLOSED_BY_COMPLETE]: true });
      iv.span = undefined;
      iv.ctx = undefined;
    }
    this.book.clearRunning();
    this.phaseStack.length = 0;
  }

  private computeBreakdown(end: number, outcome?: 'success' | 'error'): TimingBreakdown {
    const s = this.state;
    const totals = partition(s.intervals, s.startMs, end);
    const phases = createPhaseDurations();
    this.book.totalsInto(phases);
    const open: string[] = [...this.closedByComplete];
    for (const t of this.book.running()) {
      phases[t.name] = (phases[t.name] ?? 0) + (end - t.start);
      open.push(t.name);
    }
    // Set field by field rather than through the constructor's generic Object.assign (hot path:
    // one breakdown per completed execution).
    const b = new TimingBreakdown();
    b.executionId = this.executionId;
    b.agentName = this.agentName;
    b.totalMs = Math.max(0, end - s.startMs);
    b.initializationMs = totals.initialization;
    b.toolExecutionMs = totals.tool_execution;
    b.llmProcessingMs = totals.llm_processing;
    b.websocketNotificationMs = totals.websocket_notification;
    b.databaseQueryMs = totals.database_query;
    b.externalApiMs = totals.external_api;
    b.queueWaitMs = totals.queue_wait;
    b.overheadMs = totals.overhead;
    b.uncategorizedMs = totals.uncategorized;
    b.phases = phases;
    b.startedAt = s.startedAt;
    b.completed = outcome !== undefined;
    b.openPhases = open;
    b.foreignSpanCount = s.foreignSpanCount;
    if (s.firstTokenAt !== undefined) b.ttftMs = s.firstTokenAt - s.startMs;
    if (outcome !== undefined) b.outcome = outcome;
    return b;
  }

  /**
   * OTel context with the interval's span (or the execution span) active. Cached per interval. A
   * stopped phase has released its span: phases started under it later take its parent's context.
   */
  private contextOf(iv: Interval | undefined): Context {
    const target = iv ?? this.state.root;
    if (target.ctx) return target.ctx;
    const parentCtx = iv === undefined ? this.parentContext : this.contextOf(iv.parent === this.state.root ? undefined : iv.parent);
    const ctx = target.span ? trace.setSpan(parentCtx, target.span) : parentCtx;
    target.ctx = ctx;
    return ctx;
  }
}

/** The guide's other name for the same collector (used with getCriticalPath()). */
export class ExecutionTimingCollector extends EnhancedExecutionTimingCollector {}

/** The first-token event on the execution span, at the instant the earliest source reported. */
function stampFirstToken(state: ExecutionState): void {
  const span = state.root.span;
  const at = state.firstTokenAt;
  if (!span || at === undefined) return;
  try {
    // A performance.now() reading: the SDK maps it onto the span's own timeline.
    span.addEvent(EVENT_FIRST_TOKEN, { [ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]: (at - state.startMs) / 1000 }, at);
  } catch {
    // never let span bookkeeping break the caller
  }
}

/** Whether a span records (false for a sampled-out execution's non-recording span). Never throws. */
function isRecording(span: Span | undefined): boolean {
  if (span === undefined) return false;
  try {
    return span.isRecording();
  } catch {
    return false;
  }
}

function isDescendant(iv: Interval, ancestor: Interval): boolean {
  for (let p: Interval | undefined = iv; p; p = p.parent) {
    if (p === ancestor) return true;
    if (p.depth <= ancestor.depth) return false;
  }
  return false;
}

/**
 * A plain copy of the options; a field whose getter (or proxy trap) throws is dropped and counted.
 * The copy is a literal with every option present (undefined when absent), not an object grown key
 * by key: a grown object's hidden class is only weakly reachable, so each full GC freed it and
 * deoptimized the constructor. Listing every option here is checked by the type.
 */
function readOptions(options: unknown): ExecutionTimingCollectorOptions {
  const from = options !== null && typeof options === 'object' ? (options as Record<string, unknown>) : undefined;
  return {
    executionId: readOption(from, 'executionId') as string | undefined,
    agentName: readOption(from, 'agentName') as string | undefined,
    tracer: readOption(from, 'tracer') as Tracer | undefined,
    meter: readOption(from, 'meter') as Meter | undefined,
    parentContext: readOption(from, 'parentContext') as Context | undefined,
    attributes: readOption(from, 'attributes') as Attributes | undefined,
    aggregator: readOption(from, 'aggregator') as BreakdownSink | undefined,
    workflow: readOption(from, 'workflow') as boolean | undefined,
  } satisfies Record<keyof ExecutionTimingCollectorOptions, unknown>;
}

const CONTEXT_PROBE = createContextKey('agent-timing parentContext probe');

/** True when a parentContext option behaves as an OpenTelemetry Context (else it is ignored, counted). */
function usableContext(ctx: unknown): ctx is Context {
  try {
    const c = ctx as Context;
    if (typeof c.getValue === 'function' && typeof c.setValue === 'function' && typeof c.deleteValue === 'function') {
      c.setValue(CONTEXT_PROBE, true).getValue(CONTEXT_PROBE);
      return true;
    }
  } catch {
    // a hostile object posing as a Context
  }
  reportDrop('invalid-parent-context', 'collector option parentContext is not an OpenTelemetry Context; the active context is used');
  return false;
}

/** options[key], undefined for null or when reading it throws (counted). */
function readOption(options: Record<string, unknown> | undefined, key: keyof ExecutionTimingCollectorOptions): unknown {
  if (options === undefined) return undefined;
  try {
    const v = options[key];
    return v === null ? undefined : v;
  } catch {
    reportDrop('unreadable-option', `collector option ${key} could not be read (a getter or proxy threw); it was ignored`);
    return undefined;
  }
}

function executionIdOf(id: unknown): string {
  if (typeof id === 'string' && id.trim()) return truncate(id.trim(), 256);
  if (id !== undefined && id !== null) {
    // The guide passes a UUID object; accept anything with a sensible string form.
    try {
      const s = String(id);
      if (s && s !== '[object Object]') return truncate(s, 256);
    } catch {
      // fall through to a generated id
    }
    reportDrop('invalid-execution-id', 'executionId must be a string; a random id was used');
  }
  return randomExecutionId();
}

function outcomeOf(result: unknown): { failed: boolean; error: unknown } {
  if (result === undefined || result === null) return { failed: false, error: undefined };
  if (typeof result !== 'object') {
    reportDrop('invalid-completion-result', 'complete() takes { success, error? }; the argument was ignored');
    return { failed: false, error: undefined };
  }
  try {
    const r = result as CompletionResult;
    const error = r.error;
    return { failed: r.success === false || (error !== undefined && error !== null), error };
  } catch {
    return { failed: true, error: undefined };
  }
}
