import { MetricType } from '../types/metric-type';
import {
  METRIC_EXECUTION_DURATION,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
  METRIC_GEN_AI_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_WORKFLOW_DURATION,
  METRIC_OPERATION_DURATION,
  METRIC_PHASE_DURATION,
  METRIC_TTFT,
} from '../spans/names';

/**
 * Histogram bucket boundaries (seconds).
 *
 * agent-timing's own histograms share one layout with a bounded error: boundaries grow by 2^(1/5)
 * (14.9 % apart) from 0.95 ms to 81.92 s, anchored on the GenAI convention's 0.01 × 2^k advice (so
 * every advised boundary is one of ours). `histogram_quantile` returns a value inside the bucket
 * that holds the true (nearest-rank) percentile, so the two differ by less than the bucket's width:
 * under 15 % of the true value for any distribution between 1 ms and 81.92 s, whatever the sample
 * size (2^(1/4) buckets missed that on a real 110-execution tail: 15.1 %). Cost: 83 boundaries
 * plus the SLO thresholds per series (see docs/fleet.md for series and scrape bytes).
 * Every SLO threshold is added as an exact boundary: a latency SLO over a histogram is
 * `rate(x_bucket{le="T"}) / rate(x_count)`, which is only exact when T is a boundary. The SLO rule
 * generator calls the same functions, so the rules it writes always name boundaries that exist.
 *
 * The GenAI semantic-convention histograms (gen_ai.*.duration) keep the conventions' own advice.
 */

/** Boundaries per doubling of the latency layout. */
export const BUCKETS_PER_OCTAVE = 5;

/** 0.01 s × 2^(j/5) for j = -17 … 65 (0.95 ms … 81.92 s), four significant digits. */
export const LATENCY_BUCKETS: readonly number[] = Array.from({ length: 83 }, (_, i) =>
  Number((0.01 * 2 ** ((i - 17) / BUCKETS_PER_OCTAVE)).toPrecision(4)),
);

/** `gen_ai.client.operation.duration` / `gen_ai.execute_tool.duration` /
 *  `gen_ai.client.operation.time_to_first_chunk` advice. */
export const GENAI_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** `gen_ai.server.time_to_first_token` advice. */
export const GENAI_TTFT_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];
/** `gen_ai.invoke_agent.duration` advice. */
export const GENAI_INVOKE_AGENT_BUCKETS: readonly number[] = [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6];
/** `gen_ai.workflow.duration` advice. */
export const GENAI_WORKFLOW_BUCKETS: readonly number[] = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];

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
export type SloInstrument = 'execution' | 'ttft' | 'phase' | 'operation';

/** MetricTypes whose objective counts operations (one observation per query, call, tool run),
 *  as the in-process calculateSloCompliance counts them, rather than per-execution category time. */
const PER_OPERATION_TYPES: ReadonlySet<string> = new Set([
  MetricType.DATABASE_QUERY,
  MetricType.EXTERNAL_API,
  MetricType.TOOL_EXECUTION,
  MetricType.LLM_PROCESSING,
  MetricType.WEBSOCKET_LATENCY,
]);

export function sloInstrumentFor(type: string): SloInstrument | undefined {
  if (type === MetricType.TOTAL_EXECUTION) return 'execution';
  if (type === MetricType.TTFT) return 'ttft';
  if (type === MetricType.MEMORY_USAGE || type === MetricType.THREAD_POOL_USAGE) return undefined;
  if (PER_OPERATION_TYPES.has(type)) return 'operation';
  return Object.values(MetricType).includes(type as MetricType) ? 'phase' : undefined;
}

export interface BucketPlan {
  execution: number[];
  phase: number[];
  ttft: number[];
  operation: number[];
}

function merge(base: readonly number[], extra: number[]): number[] {
  return [...new Set([...base, ...extra])].sort((a, b) => a - b);
}

/**
 * Boundaries for each of our histograms given SLO thresholds in ms (keys: MetricType values):
 * the latency layout plus each threshold of the instrument. Phase-category thresholds go into both
 * the operation and the per-execution phase histogram. The guide's three objectives are always included.
 */
export function bucketPlan(sloThresholdsMs: Readonly<Record<string, number>> = {}): BucketPlan {
  const all = { ...DEFAULT_SLO_THRESHOLDS_MS, ...sloThresholdsMs };
  const extra: Record<SloInstrument, number[]> = { execution: [], ttft: [], phase: [], operation: [] };
  for (const [type, ms] of Object.entries(all)) {
    const instrument = sloInstrumentFor(type);
    if (!instrument || !Number.isFinite(ms) || !(ms > 0)) continue;
    const seconds = msToBoundarySeconds(ms);
    extra[instrument].push(seconds);
    if (instrument === 'operation') extra.phase.push(seconds);
    if (instrument === 'phase') extra.operation.push(seconds);
  }
  return {
    execution: merge(LATENCY_BUCKETS, extra.execution),
    phase: merge(LATENCY_BUCKETS, extra.phase),
    ttft: merge(LATENCY_BUCKETS, extra.ttft),
    operation: merge(LATENCY_BUCKETS, extra.operation),
  };
}

/** Each histogram of ExecutionHistograms: its instrument name and boundaries. */
export interface HistogramSpec {
  readonly name: string;
  readonly boundaries: readonly number[];
}

/** The instrument name and boundaries of every histogram agent-timing records, given a plan. */
export function histogramSpecs(plan: BucketPlan): {
  execution: HistogramSpec;
  phase: HistogramSpec;
  ttft: HistogramSpec;
  operation: HistogramSpec;
  invokeAgent: HistogramSpec;
  executeTool: HistogramSpec;
  workflow: HistogramSpec;
  timeToFirstChunk: HistogramSpec;
} {
  return {
    execution: { name: METRIC_EXECUTION_DURATION, boundaries: plan.execution },
    phase: { name: METRIC_PHASE_DURATION, boundaries: plan.phase },
    ttft: { name: METRIC_TTFT, boundaries: plan.ttft },
    operation: { name: METRIC_OPERATION_DURATION, boundaries: plan.operation },
    invokeAgent: { name: METRIC_GEN_AI_INVOKE_AGENT_DURATION, boundaries: GENAI_INVOKE_AGENT_BUCKETS },
    executeTool: { name: METRIC_GEN_AI_EXECUTE_TOOL_DURATION, boundaries: GENAI_DURATION_BUCKETS },
    workflow: { name: METRIC_GEN_AI_WORKFLOW_DURATION, boundaries: GENAI_WORKFLOW_BUCKETS },
    timeToFirstChunk: { name: METRIC_GEN_AI_TIME_TO_FIRST_CHUNK, boundaries: GENAI_DURATION_BUCKETS },
  };
}
