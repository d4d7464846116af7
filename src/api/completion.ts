import { componentLogger, reportDrop } from '../internal/diag';
import { describeForLog } from '../internal/sanitize';
import type { PerformanceMetric } from '../types/metric-type';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';

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
