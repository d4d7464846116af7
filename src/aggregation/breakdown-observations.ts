import { reportDrop } from '../internal/diag';
import { CATEGORY_FIELD, CATEGORY_METRIC_TYPE, PHASE_CATEGORIES } from '../breakdown/categories';
import { MetricType } from '../types/metric-type';
import { metricTypeIndex } from './metric-type-index';

/** The observations of one breakdown: parallel arrays, reused by every call (the aggregator takes
 *  them synchronously), so a completed execution allocates nothing here. */
export interface BreakdownObservations {
  /** MetricType indices. */
  readonly typeIndex: Int32Array;
  /** Values, ms. */
  readonly value: Float64Array;
}

const TOTAL = metricTypeIndex(MetricType.TOTAL_EXECUTION) as number;
const TTFT = metricTypeIndex(MetricType.TTFT) as number;
/** MetricType index of each phase category, for the named reads below. */
const INDEX = Object.fromEntries(PHASE_CATEGORIES.map((c) => [c, metricTypeIndex(CATEGORY_METRIC_TYPE[c]) as number])) as Record<
  (typeof PHASE_CATEGORIES)[number],
  number
>;

/** Where breakdownObservations() writes. */
export const observed: BreakdownObservations = { typeIndex: new Int32Array(2 + PHASE_CATEGORIES.length), value: new Float64Array(2 + PHASE_CATEGORIES.length) };

/**
 * The observations of a TimingBreakdown, written into `observed` (valid until the next call);
 * returns how many there are: totalMs → TOTAL_EXECUTION, ttftMs (when present) → TTFT, and
 * each of the seven phase categories → its MetricType, zeros included (a category the execution
 * never entered took 0 ms, which is a real observation for its distribution). `overheadMs` and
 * `uncategorizedMs` have no MetricType and are not recorded.
 *
 * `totalMs` must already be validated. A bad category or TTFT field is dropped on its own (and
 * reported); the rest of the breakdown still counts.
 */
export function breakdownObservations(b: Record<string, unknown>, totalMs: number): number {
  const { typeIndex, value } = observed;
  let n = 0;
  typeIndex[n] = TOTAL;
  value[n++] = totalMs;
  const ttft = b.ttftMs;
  if (ttft !== undefined) {
    if (isDuration(ttft)) {
      typeIndex[n] = TTFT;
      value[n++] = ttft;
    } else reportInvalid('ttftMs', ttft);
  }
  // Each field read by name: a read keyed by a variable field name would be megamorphic
  // (docs/architecture.md, speed invariant 2).
  n = take(n, b.initializationMs, INDEX.initialization, CATEGORY_FIELD.initialization);
  n = take(n, b.toolExecutionMs, INDEX.tool_execution, CATEGORY_FIELD.tool_execution);
  n = take(n, b.llmProcessingMs, INDEX.llm_processing, CATEGORY_FIELD.llm_processing);
  n = take(n, b.websocketNotificationMs, INDEX.websocket_notification, CATEGORY_FIELD.websocket_notification);
  n = take(n, b.databaseQueryMs, INDEX.database_query, CATEGORY_FIELD.database_query);
  n = take(n, b.externalApiMs, INDEX.external_api, CATEGORY_FIELD.external_api);
  n = take(n, b.queueWaitMs, INDEX.queue_wait, CATEGORY_FIELD.queue_wait);
  return n;
}

/** Appends one category's observation when its value is valid (else reports it); the new count. */
function take(n: number, v: unknown, typeIndex: number, field: string): number {
  if (!isDuration(v)) {
    reportInvalid(field, v);
    return n;
  }
  observed.typeIndex[n] = typeIndex;
  observed.value[n] = v;
  return n + 1;
}

/** A finite number ≥ 0. */
/** Largest value accepted (1e12: 31 years in ms, an exabyte in MB). Larger ones are absurd and
 *  would overflow the exact sums and variances to Infinity; they are dropped and counted. */
export const MAX_OBSERVATION = 1e12;

export function isDuration(v: unknown): v is number {
  return typeof v === 'number' && v >= 0 && v <= MAX_OBSERVATION;
}

function reportInvalid(field: string, v: unknown): void {
  reportDrop(
    'aggregator-invalid-breakdown-field',
    `addTimingBreakdown(): ${field} must be a finite number ≥ 0, got ${typeof v === 'number' ? String(v) : typeof v}; that field was not recorded`,
  );
}
