import type { Meter, Tracer } from '@opentelemetry/api';
import { getGlobalAggregator } from '../aggregation/global-aggregator';
import type { MetricsAggregator } from '../aggregation/metrics-aggregator';
import { componentLogger, reportDrop } from '../internal/diag';
import { describeForLog } from '../internal/sanitize';
import { EnhancedExecutionTimingCollector } from '../api/collector';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';
import { contextAttributes, runIdOf } from './internal/context-attributes';
import { recordResourceMetrics, type ResourceMetricsInput } from './resource-metrics';
import type { ExecutionContext, ExecutionResult } from './types';
import { optionsSnapshot } from '../internal/guard';
import { optionFailure, positiveInteger, type OptionFailure } from '../internal/options';

/** Options of SupervisorObservability. */
export interface SupervisorObservabilityOptions {
  /** Aggregator fed each completed workflow once. Default: the global aggregator (looked up when each run starts). */
  aggregator?: MetricsAggregator;
  /** Most runs in flight at once; later startWorkflowTrace() calls are dropped and counted. Default 10 000. */
  maxConcurrentRuns?: number;
  /** How many completed runs are remembered (for getTimingBreakdown() and clearer warnings). Default 1 000. */
  completedRunsRemembered?: number;
  /** Tracer for the runs' spans. Default: the global provider's `agent-timing` tracer. */
  tracer?: Tracer;
  /** Meter for the duration histograms. Default: the global provider's `agent-timing` meter. */
  meter?: Meter;
}

const log = componentLogger('supervisor');

/** A run id as it appears in diag lines: a string as is (diag bounds and redacts it), anything else by its type. */
function runLabel(runId: unknown): string {
  return typeof runId === 'string' ? runId : describeForLog(runId);
}

const fail: OptionFailure = optionFailure('', RangeError);

/**
 * The guide's supervisor integration: one execution per workflow run, addressed by run id.
 * Each run is an EnhancedExecutionTimingCollector whose root span `invoke_workflow {agentName}`
 * (the GenAI conventions' name for a workflow run; `gen_ai.workflow.name` is the agent name)
 * carries the run id (`agent_timing.run.id`) and the user id (`user.id`, hashed when
 * `redaction.hashUserIds` is on; never a metric label). Concurrent runs are separate executions,
 * so they never see each other's phases. Calls naming an unknown or already completed run are
 * no-ops with a diag warning; nothing here throws after construction.
 */
export class SupervisorObservability {
  private readonly runs = new Map<string, EnhancedExecutionTimingCollector>();
  /** Recently completed runs and their final breakdowns, oldest first (bounded). */
  private readonly completed = new Map<string, TimingBreakdown>();
  private readonly aggregator: MetricsAggregator | undefined;
  private readonly maxRuns: number;
  private readonly maxCompleted: number;
  private readonly tracer: Tracer | undefined;
  private readonly meter: Meter | undefined;

  constructor(supplied: SupervisorObservabilityOptions = {}) {
    if (supplied === null || typeof supplied !== 'object') throw new TypeError('agent-timing: SupervisorObservability options must be an object');
    const options = optionsSnapshot<SupervisorObservabilityOptions>('new SupervisorObservability()', supplied) ?? {};
    const agg = options.aggregator;
    if (agg !== undefined && (agg === null || typeof agg.addTimingBreakdown !== 'function' || typeof agg.addMetric !== 'function')) {
      throw new TypeError('agent-timing: aggregator must be a MetricsAggregator');
    }
    this.aggregator = agg;
    this.maxRuns = positiveInteger('maxConcurrentRuns', options.maxConcurrentRuns, 10_000, fail);
    this.maxCompleted = positiveInteger('completedRunsRemembered', options.completedRunsRemembered, 1_000, fail);
    this.tracer = options.tracer;
    this.meter = options.meter;
  }

  /** Runs in flight. */
  get activeRunCount(): number {
    return this.runs.size;
  }

  /** Starts the run's execution (its root span starts now, in the active OpenTelemetry context). */
  startWorkflowTrace(ctx: ExecutionContext): void {
    const runId = runIdOf(ctx);
    if (runId === undefined) {
      reportDrop('supervisor-invalid-context', 'startWorkflowTrace() needs an ExecutionContext with a non-empty runId; it was ignored');
      return;
    }
    if (this.runs.has(runId)) {
      reportDrop('supervisor-duplicate-run', `startWorkflowTrace(): run ${runLabel(runId)} is already in flight; the call was ignored`);
      return;
    }
    if (this.runs.size >= this.maxRuns) {
      reportDrop('supervisor-run-limit', `more than ${this.maxRuns} workflow runs in flight; run ${runLabel(runId)} is not traced (raise maxConcurrentRuns)`);
      return;
    }
    let agentName: unknown;
    try {
      agentName = ctx.agentName;
    } catch {
      agentName = undefined;
    }
    this.completed.delete(runId); // a run id used again is a new run
    const collector = new EnhancedExecutionTimingCollector({
      executionId: runId,
      agentName: typeof agentName === 'string' ? agentName : undefined,
      attributes: contextAttributes(ctx),
      aggregator: this.aggregator ?? getGlobalAggregator(),
      tracer: this.tracer,
      meter: this.meter,
      workflow: true,
    });
    this.runs.set(runId, collector);
    log.debug(`workflow run ${runLabel(runId)} started`);
  }

  /** Starts a phase of the run (nested under the run's phase running now, if any). */
  startPhase(runId: string, name: string, metadata?: Record<string, unknown>): void {
    this.live(runId, 'startPhase')?.startPhase(name, metadata);
  }

  /** Stops the run's most recent running phase of that name; its duration in ms. */
  stopPhase(runId: string, name: string): number | undefined {
    return this.live(runId, 'stopPhase')?.stopPhase(name);
  }

  /** Records the run's time to first token (ms since the run started): now, or at `at`
   *  (`performance.now()` or epoch ms); the earliest instant wins, so without `at` the first call wins. */
  recordFirstToken(runId: string, at?: number | Date): number | undefined {
    return this.live(runId, 'recordFirstToken')?.recordFirstToken(at);
  }

  /** The run's breakdown so far, or its final one when it completed recently; undefined when unknown. */
  getTimingBreakdown(runId: string): TimingBreakdown | undefined {
    const collector = this.runs.get(runId);
    if (collector) return collector.getBreakdown();
    const done = this.completed.get(runId);
    if (done) return done;
    reportDrop('supervisor-unknown-run', `getTimingBreakdown(): no run ${runLabel(runId)} (never started, or completed long ago)`);
    return undefined;
  }

  /**
   * Completes the run: phases still running are closed, the span ends with the outcome
   * (`result.success === false` or a `result.error` marks it failed), the execution-duration and
   * TTFT histograms record it, and its breakdown is fed to the aggregator exactly once. Returns
   * the final breakdown; undefined (with a diag warning) for an unknown or completed run.
   */
  completeWorkflowTrace(ctx: ExecutionContext, result: ExecutionResult): TimingBreakdown | undefined {
    const runId = typeof ctx === 'string' ? ctx : runIdOf(ctx);
    const collector = runId === undefined ? undefined : this.live(runId, 'completeWorkflowTrace');
    if (!collector || runId === undefined) return undefined;
    this.runs.delete(runId);
    let success = true;
    let error: unknown;
    if (result !== undefined && result !== null) {
      if (typeof result !== 'object') {
        reportDrop('supervisor-invalid-result', 'completeWorkflowTrace() takes an ExecutionResult { success, error? }; treated as success');
      } else {
        try {
          success = result.success !== false;
          error = result.error ?? undefined;
        } catch {
          success = false;
        }
      }
    }
    const breakdown = collector.complete({ success: success && error === undefined, error });
    this.remember(runId, breakdown);
    log.debug(`workflow run ${runLabel(runId)} completed in ${breakdown.totalMs.toFixed(1)} ms (${breakdown.outcome ?? 'success'})`);
    return breakdown;
  }

  /** Records resource readings into this supervisor's aggregator and the resource gauges (see recordResourceMetrics). */
  recordResourceMetrics(readings: ResourceMetricsInput): void {
    recordResourceMetrics(readings, { aggregator: this.aggregator ?? getGlobalAggregator(), meter: this.meter });
  }

  /** The collector of a run in flight (for addMetric(), measure(), parallel tasks…). */
  getCollector(runId: string): EnhancedExecutionTimingCollector | undefined {
    return this.runs.get(runId);
  }

  /**
   * Runs fn as part of the run: inside, currentCollector() is the run's collector, phase() and
   * instrumentStream() time into it and other instrumentations' spans land in its breakdown. For
   * an unknown or completed run, fn still runs (untimed).
   */
  runInWorkflow<T>(runId: string, fn: () => T): T {
    if (typeof fn !== 'function') {
      reportDrop('run-in-workflow-not-a-function', 'runInWorkflow(runId, fn) needs a function; nothing was run');
      return undefined as T;
    }
    const collector = this.live(runId, 'runInWorkflow');
    return collector ? collector.runInContext(fn) : fn();
  }

  private live(runId: string, method: string): EnhancedExecutionTimingCollector | undefined {
    const collector = typeof runId === 'string' ? this.runs.get(runId) : undefined;
    if (collector) return collector;
    if (typeof runId === 'string' && this.completed.has(runId)) {
      reportDrop('supervisor-completed-run', `${method}(): run ${runLabel(runId)} already completed; the call was ignored`);
    } else {
      reportDrop('supervisor-unknown-run', `${method}(): no run ${runLabel(runId)} in flight (startWorkflowTrace() first); the call was ignored`);
    }
    log.debug(`${method}() for run ${runLabel(runId)} which is not in flight`);
    return undefined;
  }

  private remember(runId: string, breakdown: TimingBreakdown): void {
    this.completed.set(runId, breakdown);
    if (this.completed.size > this.maxCompleted) {
      const oldest = this.completed.keys().next().value;
      if (oldest !== undefined) this.completed.delete(oldest);
    }
  }
}
