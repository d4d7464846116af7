import { componentLogger, reportDrop } from '../internal/diag';
import { describeForLog } from '../internal/sanitize';
import type { PerformanceMetric } from '../types/metric-type';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';
import type { Meter } from '@opentelemetry/api';
import type { ExecutionState } from './execution-state';

/** Anything that takes completed executions, such as a MetricsAggregator. */
export interface BreakdownSink {
  addMetric(metric: PerformanceMetric): void;
  addTimingBreakdown(breakdown: TimingBreakdown): void;
}

type Listener = (breakdown: TimingBreakdown, metrics: readonly PerformanceMetric[]) => void;

const listeners = new Set<Listener>();
const log = componentLogger('completion');

/** Subscribes to every completed execution in the process; returns the unsubscribe function. */
export function onExecutionComplete(listener: Listener): () => void {
  if (typeof listener !== 'function') {
    reportDrop('listener-not-a-function', `onExecutionComplete() needs a function, got ${describeForLog(listener)}; nothing was subscribed`);
    return () => false;
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Feeds a completed execution to a sink the way the guide's manual flow does: metrics, then breakdown. */
export function feedSink(sink: BreakdownSink, breakdown: TimingBreakdown, metrics: readonly PerformanceMetric[]): void {
  try {
    for (const m of metrics) sink.addMetric(m);
    sink.addTimingBreakdown(breakdown);
  } catch (err) {
    log.error('an aggregator threw while taking a completed execution', err);
  }
}

/**
 * What the layers above the collector subscribe with (the histograms in src/metrics, the process-wide
 * aggregator): everything a completed execution carries, positional so publishing allocates nothing.
 * `meter` is the collector's own option (undefined: the global meter).
 */
export type CompletionSubscriber = (
  breakdown: TimingBreakdown,
  metrics: readonly PerformanceMetric[],
  outcome: 'success' | 'error',
  meter: Meter | undefined,
  state: ExecutionState,
) => void;

const subscribers: CompletionSubscriber[] = [];

/** Subscribes a layer above the collector to every completed execution, before the public listeners. */
export function subscribeCompletion(subscriber: CompletionSubscriber): () => void {
  subscribers.push(subscriber);
  return () => {
    const at = subscribers.indexOf(subscriber);
    if (at >= 0) subscribers.splice(at, 1);
  };
}

/**
 * The one hook a completed execution goes through (called by the collector's complete()): the
 * subscribed layers (histograms first), then the collector's own sink, then the public
 * onExecutionComplete listeners. Nothing thrown here reaches the agent.
 */
export function publishCompletion(
  breakdown: TimingBreakdown,
  metrics: readonly PerformanceMetric[],
  outcome: 'success' | 'error',
  meter: Meter | undefined,
  state: ExecutionState,
  sink: BreakdownSink | undefined,
): void {
  for (let i = 0; i < subscribers.length; i++) {
    try {
      subscribers[i](breakdown, metrics, outcome, meter, state);
    } catch (err) {
      log.error('a completion subscriber threw', err);
    }
  }
  if (sink) feedSink(sink, breakdown, metrics);
  notifyExecutionComplete(breakdown, metrics);
}

/**
 * The process-wide aggregator, for options that say `aggregator: true` (the span processor). It is
 * provided by src/aggregation/global-aggregator.ts when that module loads, so the layers below the
 * aggregation never import it.
 */
let globalSink: (() => BreakdownSink) | undefined;

/** Called once by src/aggregation/global-aggregator.ts. */
export function provideGlobalSink(get: () => BreakdownSink): void {
  globalSink = get;
}

/** The process-wide aggregator (undefined when the aggregation is not loaded: nothing to feed). */
export function globalBreakdownSink(): BreakdownSink | undefined {
  return globalSink?.();
}

/** Tells every listener; a throwing listener is logged and never reaches the agent. */
export function notifyExecutionComplete(breakdown: TimingBreakdown, metrics: readonly PerformanceMetric[]): void {
  for (const l of listeners) {
    try {
      l(breakdown, metrics);
    } catch (err) {
      log.error('an execution-complete listener threw', err);
    }
  }
}
