import { reportDrop } from '../internal/diag';
import { CATEGORY_FIELD, CATEGORY_METRIC_TYPE, PHASE_CATEGORIES } from '../timing/categories';
import { MetricType } from '../types/metric-type';
import { metricTypeIndex } from './metric-type-index';

/** One observation a breakdown contributes: a MetricType index and its value (ms). */
export interface BreakdownObservation {
  typeIndex: number;
  value: number;
}

const TOTAL = metricTypeIndex(MetricType.TOTAL_EXECUTION) as number;
const TTFT = metricTypeIndex(MetricType.TTFT) as number;
const CATEGORIES = PHASE_CATEGORIES.map((c) => ({
  field: CATEGORY_FIELD[c],
  typeIndex: metricTypeIndex(CATEGORY_METRIC_TYPE[c]) as number,
}));

/**
 * The observations of a TimingBreakdown: totalMs → TOTAL_EXECUTION, ttftMs (when present) →
 * TTFT, and each of the seven phase categories → its MetricType, zeros included (a category the
 * execution never entered took 0 ms, which is a real observation for its distribution).
 * `overheadMs` and `uncategorizedMs` have no MetricType and are not recorded.
 *
 * `totalMs` must already be validated. A bad category or TTFT field is dropped on its own (and
 * reported); the rest of the breakdown still counts.
 */
export function breakdownObservations(b: Record<string, unknown>, totalMs: number): BreakdownObservation[] {
  const out: BreakdownObservation[] = [{ typeIndex: TOTAL, value: totalMs }];
  const ttft = b.ttftMs;
  if (ttft !== undefined) {
    if (isDuration(ttft)) out.push({ typeIndex: TTFT, value: ttft });
    else reportInvalid('ttftMs', ttft);
  }
  for (const { field, typeIndex } of CATEGORIES) {
    const v = b[field];
    if (isDuration(v)) out.push({ typeIndex, value: v });
    else reportInvalid(field, v);
  }
  return out;
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
