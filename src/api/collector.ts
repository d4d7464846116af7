// The collector: the user-facing recorder of one execution (phases, tasks, first token, metrics,
// completion). Its other jobs live beside it: options (collector-options.ts), the execution span
// (execution-span.ts), a phase's category (phase-category.ts), assembling the breakdown
// (assemble-breakdown.ts), timed callbacks and span contexts (timed-call.ts), the completion hook
// (completion.ts). Over ~400 lines on purpose: the phase stack, the name book and the span contexts
// are one state that every public method reads, so they stay one class.
import { context, trace, type Context, type Meter, type Tracer } from '@opentelemetry/api';
import { epochNow, monotonicNow, toMonotonic } from '../internal/clock';
import { reportDrop } from '../internal/diag';
import { limits } from '../internal/limits';
import { cleanName, describeForLog, metadataCopy } from '../internal/sanitize';
import { ATTR_EXECUTION_DISCARDED, ATTR_PHASE_CLOSED_BY_COMPLETE } from '../spans/names';
import { endSpan, markSpanError, phaseSpanShape, startOwnSpan, type PhaseSpanShape } from '../spans/own-spans';
import { isMetricType, type MetricType, type PerformanceMetric } from '../types/metric-type';
import { categoryFromName, type PhaseCategory } from '../breakdown/categories';
import { criticalPath, type CriticalPathEntry } from '../breakdown/critical-path';
import { IntervalKind, type Interval } from '../breakdown/interval';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';
import { assembleBreakdown } from './assemble-breakdown';
import { executionIdOf, outcomeOf, readOptions, usableContext, type CompletionResult, type ExecutionTimingCollectorOptions, type StartPhaseOptions } from './collector-options';
import { publishCompletion, type BreakdownSink } from './completion';
import { executionRegistry } from './execution-registry';
import { activeScope, runInScope, type ExecutionScope } from './execution-scope';
import { ExecutionState } from './execution-state';
import { stampFirstToken, startExecutionSpan } from './execution-span';
import { PhaseBook, type NameSlot } from './phase-book';
import { safeCategory } from './phase-category';
import { inertTimer, PhaseTimer } from './phase-timer';
import { isDescendant, runTimed, unstack } from './timed-call';

export type { CompletionResult, ExecutionTimingCollectorOptions, StartPhaseOptions } from './collector-options';

/**
 * Times one agent execution: phases (nested by when they start), parallel tasks, time to first
 * token and custom metrics, as OpenTelemetry spans and as an exact TimingBreakdown. Works with no
 * OpenTelemetry set-up at all; with an SDK registered, the execution is a trace and other
 * instrumentations' spans inside it land in its breakdown. Methods never throw on bad input.
 *
 * It is a TimerOwner (phase-timer.ts) and Evictable (execution-registry.ts) structurally, checked
 * where it is passed as one; no `implements` clause, so the published typings (built with
 * stripInternal) carry no internal interface.
 */
export class EnhancedExecutionTimingCollector {
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
      const started = startExecutionSpan(o, this.agentName, this.executionId, this.parentContext);
      rootSpan = started.span;
      this.tracer = started.phaseTracer;
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
    return runTimed(timer, iv, scope, this.contextOf(iv), fn);
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
    return this.finalBreakdown ?? assembleBreakdown(this.state, this.book, this.closedByComplete, monotonicNow());
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
      return assembleBreakdown(this.state, this.book, this.closedByComplete, this.state.root.end);
    }
    const end = monotonicNow();
    const { failed, error } = outcomeOf(result);
    this.closeRunning(end);
    const root = this.state.root;
    root.end = end;
    const b = assembleBreakdown(this.state, this.book, this.closedByComplete, end, failed ? 'error' : 'success');
    this.finalBreakdown = b;
    this.state.ended = true;
    if (failed) markSpanError(root.span, error ?? 'execution failed');
    stampFirstToken(this.state);
    endSpan(root.span);
    executionRegistry.remove(this);
    publishCompletion(b, this._metrics, failed ? 'error' : 'success', this.meter, this.state, this.sink);
    return b;
  }

  /**
   * Ends the execution without counting it: its span ends marked `agent_timing.execution.discarded`,
   * and no histogram, aggregator or completion listener sees it. For an execution that turned out
   * not to be one (say, superseded by a collector the agent made itself). Returns the breakdown so far.
   */
  discard(): TimingBreakdown {
    if (this.finalBreakdown) return this.finalBreakdown;
    if (this.state.ended) return assembleBreakdown(this.state, this.book, this.closedByComplete, this.state.root.end);
    const end = monotonicNow();
    this.closeRunning(end);
    this.state.root.end = end;
    this.finalBreakdown = assembleBreakdown(this.state, this.book, this.closedByComplete, end);
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
    unstack(this.phaseStack, timer);
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









