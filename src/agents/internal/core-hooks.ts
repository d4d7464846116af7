import { context, trace, type Span } from '@opentelemetry/api';
import { monotonicNow } from '../../internal/clock';
import { ATTR_PHASE_KIND } from '../../otel/names';
import { endSpan, markSpanError } from '../../otel/own-spans';
import type { EnhancedExecutionTimingCollector } from '../../timing/collector';
import { executionRegistry } from '../../timing/execution-registry';
import { runInScope, type ExecutionScope } from '../../timing/execution-scope';
import type { PhaseTimer } from '../../timing/phase-timer';

/*
 * The few places src/agents reaches below the collector's public API, kept in one file so the
 * dependency is visible. Each would become a one-liner with a small core hook:
 * - measureWithMetadata → `collector.measure(name, undefined, fn, metadata)` (a metadata argument
 *   on measure's callback form);
 * - startNestedPhase → `collector.startPhase(name, metadata, { parent: timer })` (an explicit
 *   parent, for callback-driven integrations such as LangChain whose runs arrive as start/end
 *   events, not as callbacks we can wrap);
 * - timerSpan → a public `PhaseTimer.span` (or `setAttributes`/`recordError`) getter;
 * - discardUnused → `collector.discard()`: end an execution that recorded nothing without
 *   counting it (no histograms, no aggregator feed, no completion listeners).
 */

/** Span attribute on an automatic BaseAgent execution that was superseded by the agent's own collector. */
export const ATTR_EXECUTION_SUPERSEDED = 'agent_timing.execution.superseded';

/**
 * Ends an execution that recorded nothing (no phase, span, metric or TTFT) without counting it:
 * its span ends (marked superseded), it leaves the registry of executions in flight, and
 * complete() on it afterwards records nothing. Returns false, doing nothing, when it recorded
 * anything or already ended. Used when an agent's execute() makes its own collector (the guide's
 * style), so each call counts once, under the agent's collector.
 */
export function discardUnused(collector: EnhancedExecutionTimingCollector): boolean {
  const s = collector.state;
  if (s.ended || s.intervals.length > 0 || collector.metrics.length > 0 || collector.getBreakdown().ttftMs !== undefined) return false;
  s.ended = true;
  s.evicted = true; // so a late complete() returns a breakdown without recording or notifying
  s.root.end = monotonicNow();
  endSpan(s.root.span, { [ATTR_EXECUTION_SUPERSEDED]: true });
  executionRegistry.remove(collector);
  return true;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  try {
    return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';
  } catch {
    return false;
  }
}

/** The span of a phase or task timer, when one was made (undefined for inert timers). */
export function timerSpan(timer: PhaseTimer | undefined): Span | undefined {
  return timer?.interval?.span;
}

/**
 * Starts a phase off the collector's imperative stack (so concurrent siblings never nest under
 * each other), as a child of `parent` — a running timer of the same collector — or, when `parent`
 * is `'current'`, of whatever phase the calling async context runs in (like measure()).
 */
export function startNestedPhase(
  collector: EnhancedExecutionTimingCollector,
  parent: PhaseTimer | undefined | 'current',
  name: string,
  metadata: Record<string, unknown> | undefined,
): PhaseTimer {
  let timer: PhaseTimer;
  if (parent === 'current') {
    timer = collector.startParallelTask(name, metadata);
  } else {
    const scope: ExecutionScope = { owner: collector, state: collector.state, interval: parent?.interval };
    timer = runInScope(scope, context.active(), () => collector.startParallelTask(name, metadata));
  }
  // Started through the task entry point only to stay off the stack: it is a phase.
  const span = timerSpan(timer);
  if (span) {
    try {
      span.setAttribute(ATTR_PHASE_KIND, 'phase');
    } catch {
      // span bookkeeping never breaks the caller
    }
  }
  return timer;
}

/** Stops a timer once, marking its span failed first when `error` is given. Never throws. */
export function stopTimer(timer: PhaseTimer | undefined, error?: unknown, failed = error !== undefined): number | undefined {
  if (!timer || !timer.running) return undefined;
  if (failed) markSpanError(timerSpan(timer), error ?? 'failed');
  try {
    return timer.stop();
  } catch {
    return undefined;
  }
}

/**
 * collector.measure(name, undefined, fn) with phase metadata: fn runs with the new phase as the
 * current one (nested phases and other instrumentations' spans parent to it); the phase stops
 * when fn returns, throws or its promise settles, and is marked failed on an error.
 */
export function measureWithMetadata<T>(
  collector: EnhancedExecutionTimingCollector,
  name: string,
  metadata: Record<string, unknown>,
  fn: () => T,
): T {
  const timer = startNestedPhase(collector, 'current', name, metadata);
  const iv = timer.interval;
  if (!iv) return fn();
  const scope: ExecutionScope = { owner: collector, state: collector.state, interval: iv };
  const otelContext = iv.span ? trace.setSpan(context.active(), iv.span) : context.active();
  let result: T;
  try {
    result = runInScope(scope, otelContext, fn);
  } catch (err) {
    stopTimer(timer, err, true);
    throw err;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        stopTimer(timer);
        return value;
      },
      (err: unknown) => {
        stopTimer(timer, err, true);
        throw err;
      },
    ) as T;
  }
  stopTimer(timer);
  return result;
}

export { isThenable };
