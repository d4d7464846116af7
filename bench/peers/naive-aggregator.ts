import type { AggregationWindow, MetricType, PerformanceMetric } from '../../src/types/metric-type';

/** What the naive peer answers: the guide's AggregatedMetrics fields, exact. */
export interface NaiveAggregate {
  count: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  stdDev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/**
 * The peer: the guide's store-everything design. Every metric object is kept in a per-type list;
 * a query filters the window, copies the values and sorts them; clearOldMetrics() is the only
 * thing that frees memory. Exact by construction, with memory and query time that grow with
 * traffic. (Sorting uses a Float64Array, the fastest numeric sort JS offers, so the comparison
 * is against a reasonable version of the design, not a strawman.)
 */
export class NaiveAggregator {
  private readonly byType = new Map<string, PerformanceMetric[]>();

  constructor(
    private readonly retentionHours = 24,
    private readonly now: () => number = Date.now,
  ) {}

  addMetric(metric: PerformanceMetric): void {
    let list = this.byType.get(metric.metricType);
    if (!list) this.byType.set(metric.metricType, (list = []));
    list.push(metric);
  }

  getAggregatedMetrics(type: MetricType, window: AggregationWindow): NaiveAggregate | undefined {
    const cutoff = this.now() - window * 1000;
    const list = this.byType.get(type) ?? [];
    let n = 0;
    for (const m of list) if (m.timestamp >= cutoff) n++;
    if (n === 0) return undefined;
    const values = new Float64Array(n);
    let k = 0;
    let sum = 0;
    for (const m of list) {
      if (m.timestamp < cutoff) continue;
      values[k++] = m.value;
      sum += m.value;
    }
    values.sort();
    const mean = sum / n;
    let ss = 0;
    for (const v of values) ss += (v - mean) * (v - mean);
    const at = (p: number) => values[Math.min(n, Math.max(1, Math.ceil((p * n) / 100))) - 1];
    return { count: n, sum, mean, min: values[0], max: values[n - 1], stdDev: Math.sqrt(ss / n), p50: at(50), p90: at(90), p95: at(95), p99: at(99) };
  }

  clearOldMetrics(): number {
    const cutoff = this.now() - this.retentionHours * 3_600_000;
    let dropped = 0;
    for (const [type, list] of this.byType) {
      const kept = list.filter((m) => m.timestamp >= cutoff);
      dropped += list.length - kept.length;
      this.byType.set(type, kept);
    }
    return dropped;
  }

  clear(): void {
    this.byType.clear();
  }
}
