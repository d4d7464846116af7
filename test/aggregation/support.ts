/** Shared helpers of the aggregation and analysis tests (not a test file itself). */
import { TimingBreakdown, type TimingBreakdownData } from '../../src/breakdown/timing-breakdown';
import type { MetricType, PerformanceMetric } from '../../src/types/metric-type';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** 2025-01-15 12:00:00 UTC: a round hour, so window edges in tests are easy to read. */
export const NOON = Date.UTC(2025, 0, 15, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

import { rng } from '../support/random';
export { rng };

/** n log-normal values: exp(N(ln median, sigma)). Skewed like real latencies. */
export function logNormal(n: number, median: number, sigma: number, seed = 1): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    out.push(Math.exp(Math.log(median) + sigma * z));
  }
  return out;
}

/** Exact nearest-rank percentile of ascending-sorted values: the value at rank ⌈p·n/100⌉. */
export function exactPercentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function relErr(estimate: number, exact: number): number {
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / Math.abs(exact);
}

export function metric(metricType: MetricType, value: number, timestamp: number, extra: Partial<PerformanceMetric> = {}): PerformanceMetric {
  return { metricType, value, timestamp, ...extra };
}

/** A breakdown whose categories sum to totalMs (overhead takes the rest). */
export function breakdown(fields: Partial<TimingBreakdownData> & { totalMs: number }): TimingBreakdown {
  const b = new TimingBreakdown({ executionId: 'exec-1', agentName: 'agent', completed: true, ...fields });
  if (fields.overheadMs === undefined) {
    const categorized =
      b.initializationMs + b.toolExecutionMs + b.llmProcessingMs + b.websocketNotificationMs + b.databaseQueryMs + b.externalApiMs + b.queueWaitMs + b.uncategorizedMs;
    b.overheadMs = Math.max(0, b.totalMs - categorized);
  }
  return b;
}
