import { reportDrop } from '../internal/diag';
import { CATEGORY_FIELD, CATEGORY_METRIC_TYPE, PHASE_CATEGORIES } from '../timing/categories';
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
const CATEGORIES = PHASE_CATEGORIES.map((c) => ({
  field: CATEGORY_FIELD[c],
  typeIndex: metricTypeIndex(CATEGORY_METRIC_TYPE[c]) as number,
}));
/** Where breakdownObservations() writes. */
export const observed: BreakdownObservations = { typeIndex: new Int32Array(2 + CATEGORIES.length), value: new Float64Array(2 + CATEGORIES.length) };

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
  for (let k = 0; k < CATEGORIES.length; k++) {
    const v = b[CATEGORIES[k].field];
    if (isDuration(v)) {
      typeIndex[n] = CATEGORIES[k].typeIndex;
      value[n++] = v;
    } else reportInvalid(CATEGORIES[k].field, v);
  }
  return n;
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
