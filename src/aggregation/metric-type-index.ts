import { MetricType } from '../types/metric-type';

/**
 * MetricTypes as small integers, so per-type state lives in arrays and per-execution ledgers in
 * bit masks. The order is the enum's declaration order; it never leaves the process.
 */
export const METRIC_TYPES: readonly MetricType[] = Object.values(MetricType);

/** Index of each MetricType value; keyed by `unknown` so a hot path can look up an unchecked value
 *  (anything that is not a MetricType value gives undefined). */
export const METRIC_TYPE_INDEX: ReadonlyMap<unknown, number> = new Map(METRIC_TYPES.map((t, i) => [t as unknown, i]));

/** Index of a MetricType string value, or undefined for anything else. */
export function metricTypeIndex(value: unknown): number | undefined {
  return typeof value === 'string' ? METRIC_TYPE_INDEX.get(value) : undefined;
}
