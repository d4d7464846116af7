import { MetricType } from '../types/metric-type';

/**
 * MetricTypes as small integers, so per-type state lives in arrays and per-execution ledgers in
 * bit masks. The order is the enum's declaration order; it never leaves the process.
 */
export const METRIC_TYPES: readonly MetricType[] = Object.values(MetricType);

const INDEX: ReadonlyMap<string, number> = new Map(METRIC_TYPES.map((t, i) => [t as string, i]));

/** Index of a MetricType string value, or undefined for anything else. */
export function metricTypeIndex(value: unknown): number | undefined {
  return typeof value === 'string' ? INDEX.get(value) : undefined;
}
