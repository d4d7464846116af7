import { provideGlobalSink } from '../api/completion';
import { MetricsAggregator } from './metrics-aggregator';

/**
 * The process-wide aggregator: what the guide's `get_global_aggregator()` returns, and what
 * startAgentTelemetry feeds completed executions to by default. Created on first use with the
 * default options; an application that wants other options installs its own with
 * setGlobalAggregator() before telemetry starts.
 */
let global: MetricsAggregator | undefined;

/** The process-wide MetricsAggregator (created lazily with default options). */
export function getGlobalAggregator(): MetricsAggregator {
  return (global ??= new MetricsAggregator());
}

/** Installs `aggregator` as the process-wide one (e.g. with custom retention). */
export function setGlobalAggregator(aggregator: MetricsAggregator): void {
  if (!(aggregator instanceof MetricsAggregator)) {
    throw new TypeError('agent-timing: setGlobalAggregator() needs a MetricsAggregator');
  }
  global = aggregator;
}

/** Forgets the process-wide aggregator; the next getGlobalAggregator() creates a fresh one. For tests. */
export function resetGlobalAggregator(): void {
  global = undefined;
}

// `aggregator: true` on the span processor resolves through the completion hook, which asks here.
provideGlobalSink(getGlobalAggregator);
