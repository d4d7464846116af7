import { MetricType } from '../types/metric-type';

/**
 * Histogram bucket boundaries (seconds).
 *
 * They start from the GenAI semantic-convention advice and always contain every SLO threshold as
 * an exact boundary: a latency SLO over a histogram is `rate(x_bucket{le="T"}) / rate(x_count)`,
 * which is only exact when T is a boundary. The SLO rule generator calls the same functions, so
 * the rules it writes always name boundaries that exist.
 */

/** `gen_ai.client.operation.duration` advice, plus finer low buckets for in-process phases. */
export const GENAI_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** `gen_ai.server.time_to_first_token` advice. */
export const GENAI_TTFT_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];
/** Sub-10 ms boundaries for phases (overhead, cache hits) that the GenAI advice does not cover. */
const FINE_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005];

/** The guide's objectives, in milliseconds, keyed by MetricType value. */
export const DEFAULT_SLO_THRESHOLDS_MS: Readonly<Record<string, number>> = {
  [MetricType.TTFT]: 1000,
  [MetricType.DATABASE_QUERY]: 100,
  [MetricType.TOTAL_EXECUTION]: 5000,
};

/** Milliseconds to a seconds boundary without binary noise (100 ms is exactly 0.1, not 0.1000…01). */
export function msToBoundarySeconds(ms: number): number {
  return Number((ms / 1000).toPrecision(12));
}

/** Which histogram an SLO on a given MetricType is evaluated against. */
export type SloInstrument = 'execution' | 'ttft' | 'phase';

export function sloInstrumentFor(type: string): SloInstrument | undefined {
  if (type === MetricType.TOTAL_EXECUTION) return 'execution';
  if (type === MetricType.TTFT) return 'ttft';
  if (type === MetricType.MEMORY_USAGE || type === MetricType.THREAD_POOL_USAGE) return undefined;
  return Object.values(MetricType).includes(type as MetricType) ? 'phase' : undefined;
}

export interface BucketPlan {
  execution: number[];
  phase: number[];
  ttft: number[];
}

function merge(base: readonly number[], extra: number[]): number[] {
  return [...new Set([...base, ...extra])].sort((a, b) => a - b);
}

/**
 * Boundaries for each of our histograms given SLO thresholds in ms (keys: MetricType values).
 * The guide's three objectives are always included.
 */
export function bucketPlan(sloThresholdsMs: Readonly<Record<string, number>> = {}): BucketPlan {
  const all = { ...DEFAULT_SLO_THRESHOLDS_MS, ...sloThresholdsMs };
  const extra: Record<SloInstrument, number[]> = { execution: [], ttft: [], phase: [] };
  for (const [type, ms] of Object.entries(all)) {
    const instrument = sloInstrumentFor(type);
    if (instrument && Number.isFinite(ms) && ms > 0) extra[instrument].push(msToBoundarySeconds(ms));
  }
  return {
    execution: merge(GENAI_DURATION_BUCKETS, extra.execution),
    phase: merge([...FINE_BUCKETS, ...GENAI_DURATION_BUCKETS], extra.phase),
    ttft: merge(GENAI_TTFT_BUCKETS, extra.ttft),
  };
}
