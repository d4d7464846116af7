import type { AggregatedMetrics } from '../aggregation/aggregated-metrics';
import { CATEGORY_FIELD, CATEGORY_METRIC_TYPE, PHASE_CATEGORIES } from '../breakdown/categories';
import type { TimingBreakdownData } from '../breakdown/timing-breakdown';
import { MetricType } from '../types/metric-type';
import { readingInput } from '../internal/guard';

/**
 * An "average execution" built from aggregates (e.g. getPerformanceSummary().currentMetrics), so
 * the breakdown analysis and its recommendations can run on a window instead of one execution:
 * totalMs is TOTAL_EXECUTION's mean, each phase category its MetricType's mean × count / executions
 * (time per execution, whether it was recorded once per execution or per operation), ttftMs TTFT's
 * mean, and the time no category accounts for becomes overheadMs. Undefined without
 * TOTAL_EXECUTION data.
 */
export function averageBreakdown(aggregates: Record<string, AggregatedMetrics> | readonly AggregatedMetrics[]): TimingBreakdownData | undefined {
  return readingInput('averageBreakdown()', () => average(aggregates));
}

function average(aggregates: Record<string, AggregatedMetrics> | readonly AggregatedMetrics[]): TimingBreakdownData | undefined {
  const byType = new Map<string, AggregatedMetrics>();
  const list = Array.isArray(aggregates) ? (aggregates as readonly AggregatedMetrics[]) : Object.values(aggregates ?? {});
  for (const a of list) if (a && typeof a === 'object' && typeof a.metricType === 'string') byType.set(a.metricType, a);
  const total = byType.get(MetricType.TOTAL_EXECUTION);
  if (!total || !(total.count > 0) || !(total.mean >= 0)) return undefined;
  const executions = total.count;
  const out: TimingBreakdownData = {
    executionId: '',
    agentName: 'aggregate',
    totalMs: total.mean,
    initializationMs: 0,
    toolExecutionMs: 0,
    llmProcessingMs: 0,
    websocketNotificationMs: 0,
    databaseQueryMs: 0,
    externalApiMs: 0,
    queueWaitMs: 0,
    overheadMs: 0,
    uncategorizedMs: 0,
    phases: {},
    startedAt: 0,
    completed: true,
    openPhases: [],
    foreignSpanCount: 0,
  };
  let accounted = 0;
  for (const c of PHASE_CATEGORIES) {
    const a = byType.get(CATEGORY_METRIC_TYPE[c]);
    if (!a || !(a.sum > 0)) continue;
    // Never more than the whole execution, even if per-operation metrics overlap in parallel.
    const perExecution = Math.min(a.sum / executions, total.mean);
    out[CATEGORY_FIELD[c]] = perExecution;
    accounted += perExecution;
  }
  out.overheadMs = Math.max(0, total.mean - accounted);
  const ttft = byType.get(MetricType.TTFT);
  if (ttft && ttft.count > 0) out.ttftMs = ttft.mean;
  return out;
}
