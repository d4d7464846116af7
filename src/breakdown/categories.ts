import { MetricType } from '../types/metric-type';

/**
 * Phase categories: the buckets a TimingBreakdown partitions wall-clock time into. The seven named
 * ones come from the guide; `overhead` (no span covers the time) and `uncategorized` (a phase with
 * no category covers it) complete the partition.
 */
export type PhaseCategory =
  | 'initialization'
  | 'tool_execution'
  | 'llm_processing'
  | 'websocket_notification'
  | 'database_query'
  | 'external_api'
  | 'queue_wait';

export type BreakdownCategory = PhaseCategory | 'overhead' | 'uncategorized';

export const PHASE_CATEGORIES: readonly PhaseCategory[] = [
  'initialization',
  'tool_execution',
  'llm_processing',
  'websocket_notification',
  'database_query',
  'external_api',
  'queue_wait',
];

/** Every category of the partition, in report order. */
export const BREAKDOWN_CATEGORIES: readonly BreakdownCategory[] = [
  ...PHASE_CATEGORIES,
  'overhead',
  'uncategorized',
];

/** The TimingBreakdown field that holds each category's milliseconds. */
export const CATEGORY_FIELD = {
  initialization: 'initializationMs',
  tool_execution: 'toolExecutionMs',
  llm_processing: 'llmProcessingMs',
  websocket_notification: 'websocketNotificationMs',
  database_query: 'databaseQueryMs',
  external_api: 'externalApiMs',
  queue_wait: 'queueWaitMs',
  overhead: 'overheadMs',
  uncategorized: 'uncategorizedMs',
} as const satisfies Record<BreakdownCategory, string>;

export type CategoryField = (typeof CATEGORY_FIELD)[BreakdownCategory];

/** The MetricType a category's time is reported as (overhead and uncategorized have none). */
export const CATEGORY_METRIC_TYPE: Readonly<Record<PhaseCategory, MetricType>> = {
  initialization: MetricType.INITIALIZATION,
  tool_execution: MetricType.TOOL_EXECUTION,
  llm_processing: MetricType.LLM_PROCESSING,
  websocket_notification: MetricType.WEBSOCKET_LATENCY,
  database_query: MetricType.DATABASE_QUERY,
  external_api: MetricType.EXTERNAL_API,
  queue_wait: MetricType.QUEUE_WAIT,
};

const BY_NAME: ReadonlyMap<string, PhaseCategory> = new Map<string, PhaseCategory>([
  ...PHASE_CATEGORIES.map((c) => [c, c] as [string, PhaseCategory]),
  // MetricType values are accepted as category names too, so `metadata.category` may be either.
  ...Object.entries(CATEGORY_METRIC_TYPE).map(([c, t]) => [t as string, c as PhaseCategory] as [string, PhaseCategory]),
]);

/** The category a name stands for (a category name or the matching MetricType value), if any. */
export function categoryFromName(name: unknown): PhaseCategory | undefined {
  return typeof name === 'string' ? BY_NAME.get(name) : undefined;
}

/** The category of the given MetricType, if it is a phase category. */
export function categoryOfMetricType(type: MetricType | undefined): PhaseCategory | undefined {
  return type === undefined ? undefined : BY_NAME.get(type);
}
