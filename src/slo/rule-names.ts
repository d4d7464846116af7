import {
  LABEL_AGENT,
  LABEL_CATEGORY,
  LABEL_OUTCOME,
  METRIC_EXECUTION_DURATION,
  METRIC_OPERATION_DURATION,
  METRIC_PHASE_DURATION,
  METRIC_TTFT,
} from '../spans/names';

/**
 * Names of the series the recording and SLO rules write, in one place for the rule generators,
 * the dashboard and the docs. Rule names follow Prometheus' `level:metric:operations` convention,
 * with two levels: `agent` (by `gen_ai_agent_name`) and `fleet` (all agents together). Phase rules
 * always keep `agent_timing_category`.
 */

/** An OpenTelemetry attribute key as the Prometheus exporters write it (`gen_ai.agent.name` → `gen_ai_agent_name`). */
export function prometheusLabelName(attributeKey: string): string {
  return attributeKey.replace(/[^a-zA-Z0-9_]/g, '_').replace(/_{2,}/g, '_');
}

export const PROM_LABEL_AGENT = prometheusLabelName(LABEL_AGENT);
export const PROM_LABEL_CATEGORY = prometheusLabelName(LABEL_CATEGORY);
export const PROM_LABEL_OUTCOME = prometheusLabelName(LABEL_OUTCOME);

/** agent-timing's own histograms, by their Prometheus names (the JS exporter adds no unit suffix). */
export const HISTOGRAMS = {
  execution: METRIC_EXECUTION_DURATION,
  ttft: METRIC_TTFT,
  phase: METRIC_PHASE_DURATION,
  operation: METRIC_OPERATION_DURATION,
} as const;

export type Level = 'agent' | 'fleet';
export const LEVELS: readonly Level[] = ['agent', 'fleet'];

/** Windows of the percentile, throughput, error and share rules: the guide's MINUTE, FIVE_MINUTES, HOUR. */
export const RECORDING_WINDOWS = ['1m', '5m', '1h'] as const;
/** Quantiles recorded, as the `quantile` label values. */
export const RECORDED_QUANTILES = ['0.5', '0.95', '0.99'] as const;

/** Windows of the SLO error ratios: the SRE workbook's multiwindow, multi-burn-rate alerts for 30 days. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
/** The period every objective is measured over. */
export const SLO_PERIOD = '30d';

export const recordName = {
  /** histogram_quantile of the bucket rates summed to the level (phase and operation rules keep
   *  the category); one series per `quantile` label value. The bucket rates are not recorded. */
  quantile: (level: Level, metric: string, window: string) => `${level}:${metric}:quantile_rate${window}`,
  /** Operations per second, by category. */
  operationRate: (level: Level, window: string) => `${level}:${METRIC_OPERATION_DURATION}_count:rate${window}`,
  /** Completed executions per second. */
  executionRate: (level: Level, window: string) => `${level}:${METRIC_EXECUTION_DURATION}_count:rate${window}`,
  /** Share of executions with outcome `error`. */
  errorRatio: (level: Level, window: string) => `${level}:agent_execution_errors:ratio_rate${window}`,
  /** Each category's share of the execution time (categories partition it, so shares add up to 1). */
  categoryShare: (level: Level, window: string) => `${level}:${METRIC_PHASE_DURATION}_sum:share_rate${window}`,

  /** Share of executions over the objective's threshold (label `slo`). */
  sloErrorRatio: (level: Level, window: string) => `${level}:agent_timing_slo_errors:ratio_rate${window}`,
  /** Executions per second an objective counts. */
  sloRequests: (level: Level) => `${level}:agent_timing_slo_requests:rate5m`,
  /** Executions per second within the threshold. */
  sloGood: (level: Level) => `${level}:agent_timing_slo_good:rate5m`,
  /** Share of executions (or operations) within the threshold over the 30-day period, from counter increases. */
  sloCompliance: (level: Level) => `${level}:agent_timing_slo_compliance:ratio_${SLO_PERIOD}`,
  /** 1 = untouched error budget, 0 = used up or overspent (clamped to [0, 1] for display). */
  sloBudgetRemaining: (level: Level) => `${level}:agent_timing_slo_error_budget_remaining:ratio_${SLO_PERIOD}`,
  /** The objective itself (e.g. 0.99), labels `slo` and `threshold_seconds`. */
  sloObjective: () => 'agent_timing:slo_objective:ratio',
};

export const ALERT_FAST_BURN = 'AgentTimingSloFastBurn';
export const ALERT_SLOW_BURN = 'AgentTimingSloSlowBurn';
export const ALERT_BOUNDARY_MISSING = 'AgentTimingSloBoundaryMissing';

/** Labels a level keeps: the agent label at `agent` level, then `extra` (kept at every level). */
export function levelLabels(level: Level, ...extra: string[]): string[] {
  return level === 'agent' ? [PROM_LABEL_AGENT, ...extra] : extra;
}

/** `sum by (<level labels, extra>) (inner)`, or `sum(inner)` when no label is kept. */
export function sumBy(level: Level, extra: string[], inner: string): string {
  const labels = levelLabels(level, ...extra);
  return labels.length > 0 ? `sum by (${labels.join(', ')}) (${inner})` : `sum(${inner})`;
}
