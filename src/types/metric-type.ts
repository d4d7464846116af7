/**
 * The kinds of performance observation the guide names. The string values are part of the public
 * contract (they key summaries, SLO thresholds and exported metrics), so never change them.
 */
export enum MetricType {
  TTFT = 'time_to_first_token',
  TOTAL_EXECUTION = 'total_execution',
  QUEUE_WAIT = 'queue_wait',
  DATABASE_QUERY = 'database_query',
  EXTERNAL_API = 'external_api',
  WEBSOCKET_LATENCY = 'websocket_latency',
  INITIALIZATION = 'initialization',
  TOOL_EXECUTION = 'tool_execution',
  LLM_PROCESSING = 'llm_processing',
  MEMORY_USAGE = 'memory_usage',
  THREAD_POOL_USAGE = 'thread_pool_usage',
}

/** Aggregation windows; the numeric value is the window length in seconds. */
export enum AggregationWindow {
  MINUTE = 60,
  FIVE_MINUTES = 300,
  HOUR = 3600,
  DAY = 86400,
  WEEK = 604800,
}

/** One observation. `value` is ms for time metrics, MB for memory, percent for pool usage. */
export interface PerformanceMetric {
  metricType: MetricType;
  value: number;
  /** Wall-clock time of the observation, epoch milliseconds. */
  timestamp: number;
  executionId?: string;
  agentName?: string;
  metadata?: Record<string, unknown>;
}

const ALL_METRIC_TYPES: ReadonlySet<string> = new Set(Object.values(MetricType));

/** Metric types whose values are durations in milliseconds (everything but resource gauges). */
export const TIME_METRIC_TYPES: readonly MetricType[] = [
  MetricType.TTFT,
  MetricType.TOTAL_EXECUTION,
  MetricType.QUEUE_WAIT,
  MetricType.DATABASE_QUERY,
  MetricType.EXTERNAL_API,
  MetricType.WEBSOCKET_LATENCY,
  MetricType.INITIALIZATION,
  MetricType.TOOL_EXECUTION,
  MetricType.LLM_PROCESSING,
];

const TIME_TYPES: ReadonlySet<string> = new Set(TIME_METRIC_TYPES);

/** True when `value` is one of the MetricType string values. */
export function isMetricType(value: unknown): value is MetricType {
  return typeof value === 'string' && ALL_METRIC_TYPES.has(value);
}

/** True for metric types measured in milliseconds. */
export function isTimeMetricType(type: MetricType): boolean {
  return TIME_TYPES.has(type);
}
