import { reportDrop } from '../internal/diag';
import { isMetricType, type MetricType, type PerformanceMetric } from '../types/metric-type';

/** One usable observation of a metric list. */
export interface Observation {
  value: number;
  timestamp: number;
  executionId?: string;
  agentName?: string;
}

/**
 * Groups a metric list by MetricType, in input order, keeping only usable entries: an object
 * with a MetricType, a finite value ≥ 0 and a finite timestamp. Unusable entries are skipped and
 * counted (one diag warning per kind), never thrown; the input is not modified.
 */
export function groupByType(metrics: readonly PerformanceMetric[] | null | undefined): Map<MetricType, Observation[]> {
  const groups = new Map<MetricType, Observation[]>();
  if (!Array.isArray(metrics)) {
    if (metrics !== undefined && metrics !== null) reportDrop('analysis-invalid-input', 'the analyzer needs an array of PerformanceMetric; got something else, treated as empty');
    return groups;
  }
  for (const m of metrics as readonly unknown[]) {
    const o = readObservation(m);
    if (!o) continue;
    let list = groups.get(o.type);
    if (!list) groups.set(o.type, (list = []));
    list.push(o.observation);
  }
  return groups;
}

function readObservation(m: unknown): { type: MetricType; observation: Observation } | undefined {
  try {
    if (m === null || typeof m !== 'object') return skip();
    const r = m as Record<string, unknown>;
    const type = r.metricType;
    const value = r.value;
    const timestamp = r.timestamp;
    if (!isMetricType(type) || typeof value !== 'number' || !(value >= 0) || value === Infinity) return skip();
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return skip();
    const observation: Observation = { value, timestamp };
    if (typeof r.executionId === 'string') observation.executionId = r.executionId;
    if (typeof r.agentName === 'string') observation.agentName = r.agentName;
    return { type, observation };
  } catch {
    return skip();
  }
}

function skip(): undefined {
  reportDrop(
    'analysis-invalid-metric',
    'the analyzer skipped a metric that is not { metricType: MetricType, value: finite ≥ 0, timestamp: finite epoch ms }',
  );
  return undefined;
}
