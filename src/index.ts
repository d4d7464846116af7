// agent-timing: the public surface. Explicit exports only; anything not listed here is internal.

// The layers above the collector subscribe to its one completion hook (src/api/completion.ts) when
// their modules load: the histograms, and the process-wide aggregator for `aggregator: true`.
import './metrics/instruments';
import './aggregation/global-aggregator';

// Types of the contract
export { MetricType, AggregationWindow, TIME_METRIC_TYPES, isMetricType } from './types/metric-type';
export type { PerformanceMetric } from './types/metric-type';

// Timing: collectors, timers, breakdowns, critical path
export { EnhancedExecutionTimingCollector, ExecutionTimingCollector } from './api/collector';
export type { ExecutionTimingCollectorOptions, CompletionResult, StartPhaseOptions } from './api/collector';
export { PhaseTimer } from './api/phase-timer';
export { TimingBreakdown, efficiencyScore } from './breakdown/timing-breakdown';
export type { TimingBreakdownData } from './breakdown/timing-breakdown';
export type { CriticalPathEntry } from './breakdown/critical-path';
export { PHASE_CATEGORIES, BREAKDOWN_CATEGORIES, CATEGORY_FIELD, CATEGORY_METRIC_TYPE } from './breakdown/categories';
export type { PhaseCategory, BreakdownCategory } from './breakdown/categories';
export { onExecutionComplete } from './api/completion';
export type { BreakdownSink } from './api/completion';

// OpenTelemetry wiring
export { startAgentTelemetry } from './setup/telemetry';
export type { AgentTelemetry } from './setup/telemetry';
export type { AgentTelemetryOptions, PrometheusEndpointOptions, OtlpTraceOptions } from './setup/telemetry-options';
export type { MetricsEndpointStatus } from './setup/metrics-endpoint';
export { BreakdownSpanProcessor } from './processor/breakdown-span-processor';
export type { BreakdownSpanProcessorOptions } from './processor/breakdown-span-processor';
export { DEFAULT_CLASSIFICATION_RULES, SpanClassifier } from './processor/classification';
export { OpenAIStreamInstrumentation } from './processor/openai-stream-instrumentation';
export type { ClassificationRule, SpanClassification } from './processor/classification';
export { BreakdownSampler, type BreakdownSamplerOptions } from './processor/breakdown-sampler';
export { agentTimingViews } from './metrics/views';
export type { AgentTimingViewsOptions } from './metrics/views';
export { bucketPlan, DEFAULT_SLO_THRESHOLDS_MS, GENAI_DURATION_BUCKETS, GENAI_TTFT_BUCKETS } from './metrics/buckets';
export type { BucketPlan } from './metrics/buckets';
export {
  METRIC_EXECUTION_DURATION,
  METRIC_PHASE_DURATION,
  METRIC_TTFT,
  LABEL_AGENT,
  LABEL_CATEGORY,
  LABEL_OUTCOME,
  OVERFLOW_LABEL_VALUE,
  ATTR_EXECUTION_ID,
  ATTR_RUN_ID,
  ATTR_PHASE_CATEGORY,
  ATTR_EXECUTION_DISCARDED,
  EVENT_FIRST_TOKEN,
  SCOPE_NAME,
} from './spans/names';
export type { RedactionOptions } from './internal/redaction';

// Aggregation and analysis
export { MetricsAggregator } from './aggregation/metrics-aggregator';
export type {
  MetricsAggregatorOptions,
  PerformanceSummary,
  BottleneckOptions,
  SloCounts,
  AggregatorMemoryStats,
} from './aggregation/metrics-aggregator';
export type { AggregatedMetrics } from './aggregation/aggregated-metrics';
export type { Bottleneck } from './aggregation/bottlenecks';
export type { Trend, TrendDetail, TrendThresholds } from './aggregation/trend';
export { classifyTrend, changePercent, DEFAULT_TREND_THRESHOLDS } from './aggregation/trend';
export type { MetricIdentityTracking } from './aggregation/dedupe-ledger';
export { getGlobalAggregator, setGlobalAggregator, resetGlobalAggregator } from './aggregation/global-aggregator';
export { PerformanceAnalyzer } from './analysis/performance-analyzer';
export type { PerformanceAnalyzerOptions, BreakdownAnalysis, SloOptions } from './analysis/performance-analyzer';
export type { Anomaly, AnomalyMode, AnomalyOptions } from './analysis/anomaly-detection';
export type { ErrorBudget, SloCountSource } from './analysis/slo-compliance';
export type { CategoryShare } from './analysis/breakdown-shares';
export { DEFAULT_RECOMMENDATION_THRESHOLDS } from './analysis/recommendations';
export type { RecommendationThresholds } from './analysis/recommendations';
export { averageBreakdown } from './analysis/aggregate-breakdown';
export { percentile } from './analysis/statistics';

// Agent integration (the LangChain handler is the separate entry point agent-timing/langchain)
export {
  SupervisorObservability,
  BaseAgent,
  instrumentAgent,
  withExecution,
  currentCollector,
  phase,
  instrumentStream,
  ATTR_STREAM_OUTCOME,
  ATTR_STREAM_CHUNKS,
  recordResourceMetrics,
  ResourceSampler,
  startResourceSampler,
} from './agents';
export type {
  ExecutionContext,
  ExecutionResult,
  SupervisorObservabilityOptions,
  BaseAgentOptions,
  AgentLogger,
  InstrumentAgentOptions,
  WithExecutionOptions,
  InstrumentStreamOptions,
  StreamOutcome,
  ResourceMetricsInput,
  RecordResourceMetricsOptions,
  ResourceSink,
  ResourceSamplerOptions,
  ResourceSample,
} from './agents';

// Prometheus rules for the fleet (also the `agent-timing` bin)
export { generateSloRules } from './slo/slo-rules';
export { generateRecordingRules } from './slo/recording-rules';
export {
  validateSloRulesConfig,
  sloThresholdsMsOf,
  DEFAULT_SLO_RULES_CONFIG,
  InvalidSloConfigTypeError,
  InvalidSloConfigRangeError,
} from './slo/slo-config';
export type { SloRulesConfig, SloObjective } from './slo/slo-config';

// The report: terminal text, JSON and one self-contained HTML page (live with startAgentTelemetry({ report }))
export {
  buildReport,
  DEFAULT_SLO_TARGET_PERCENT,
  renderHtmlReport,
  reportContentSecurityPolicy,
  renderTerminalReport,
  ansiColors,
  colorEnabled,
  ReportRecorder,
  waterfallFromSpans,
  REPORT_SCHEMA,
} from './report';
export type {
  BuildReportOptions,
  ReportExecution,
  HtmlReportOptions,
  TerminalReportOptions,
  Colors,
  ReportRecorderOptions,
  LiveReportOptions,
  ReportSnapshot,
  AgentReport,
  WaterfallRow,
  ExecutionSummary,
  ExecutionDetail,
  WindowView,
  WindowBreakdown,
  PageData,
} from './report';

// Health
export { getAgentTimingHealth } from './health';
export type { AgentTimingHealth } from './health';
export { VERSION } from './version';
// Duration formats of the report ("1,274 ms", "25.4 s"), for output that matches it
export { ms as formatMs, seconds as formatSeconds } from './report/format';
