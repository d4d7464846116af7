import type { CriticalPathEntry } from '../breakdown/critical-path';

/** Schema tag of a report's JSON; the CLI renders any report carrying it. */
export const REPORT_SCHEMA = 'agent-timing-report/1';

/** One line of a waterfall: a span of the execution's trace, on the execution's time axis. */
export interface WaterfallRow {
  /** What to show: the span name, with the path for HTTP client spans. */
  name: string;
  /** Breakdown category of the span's own time, when it has one. */
  category?: string;
  /** `execution` (the root span), `phase` (made by agent-timing) or `span` (by another instrumentation). */
  kind: 'execution' | 'phase' | 'span';
  depth: number;
  /** ms after the execution started. */
  startMs: number;
  endMs: number;
  /** Time not covered by this row's children, ms. */
  selfMs?: number;
  spanId?: string;
  /** Span attributes, redacted as on spans, strings cut to the attribute length limit. */
  attributes?: Record<string, string | number | boolean>;
  /** Span events, at ms after the execution started. */
  events?: Array<{ name: string; atMs: number; attributes?: Record<string, string | number | boolean> }>;
  /** Span status error message, when it failed. */
  error?: string;
  /** Instants inside the row: the first token. */
  marks?: Array<{ atMs: number; label: string }>;
  /** Stretches of this row on the execution's critical path, [start, end] ms. */
  critical?: Array<[number, number]>;
}

export interface RunInfo {
  /** Executions in the report. */
  requests: number;
  succeeded: number;
  failed: number;
  agentName: string;
  startedAt: string;
  /** Wall-clock time covered (first start to last completion), ms. */
  durationMs: number;
  sdkVersion: string;
  node: string;
  /** Set by a workload generator such as the demo. */
  seed?: number;
  concurrency?: number;
  startupMs?: number;
  databaseStartMs?: number;
}

export interface Endpoints {
  metricsUrl?: string;
  /** The live report page, when served. */
  reportUrl?: string;
  /** Why the endpoint is not where asked (port in use) or not up at all. */
  metricsNote?: string;
  /** A scrape of /metrics while the run went. */
  metricsScrape?: { afterRequests: number; status?: number; agentTimingSeries?: number; error?: string };
  otlpTracesUrl?: string;
  /** Trace UI URL template, `{traceId}` replaced (Jaeger: http://localhost:16686/trace/{traceId}). */
  traceUiUrl?: string;
  upstreamUrl?: string;
  websocketUrl?: string;
}

export interface CategoryTotal {
  category: string;
  ms: number;
  percent: number;
  meanMs: number;
}

export interface PercentileRow {
  metricType: string;
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface TtftDistribution {
  count: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  /** The TTFT objective, ms (from the SLO thresholds). */
  sloMs: number;
  buckets: Array<{ fromMs: number; toMs: number | null; count: number }>;
}

export interface BottleneckRow {
  metricType: string;
  thresholdMs: number;
  count: number;
  atOrAbove: number;
  timeAboveMs: number;
  percentOfTypeTime: number;
  maxMs: number;
}

export interface AnomalyRow {
  metricType: string;
  value: number;
  median: number;
  zScore: number;
  executionId?: string;
  incident?: string;
}

export interface AnomalySummary {
  method: string;
  /** Observations flagged. */
  total: number;
  /** Distinct executions with at least one flagged observation. */
  executions: number;
  /** Per metric type: how many, and the most extreme one. */
  byType: Array<{ metricType: string; count: number; worst: AnomalyRow }>;
  /** Executions the application marked as known outliers (the demo plants them), and whether each was flagged. */
  planted: Array<{ executionId: string; incident: string; label: string; flagged: boolean }>;
}

export interface SloRow {
  metricType: string;
  thresholdMs: number;
  targetPercent: number;
  compliancePercent: number;
  good: number;
  total: number;
  budgetRemainingPercent: number;
  met: boolean;
}

export interface ResourceSummary {
  samples: number;
  cpuPercentMean?: number;
  memoryMbPeak?: number;
  eventLoopUtilizationPercentMean?: number;
  eventLoopDelayP99MsMax?: number;
  /** getPerformanceSummary().resourceUtilization when the report was built. */
  latest: Record<string, number>;
}

export interface TrendRow {
  metricType: string;
  firstHalfP95: number;
  secondHalfP95: number;
  changePercent: number;
  trend: 'improving' | 'stable' | 'degrading';
}

/** Completions and mean concurrency per stretch of wall-clock time. */
export interface Throughput {
  /** Epoch ms of the first bucket's start. */
  startEpochMs: number;
  bucketMs: number;
  buckets: Array<{ completed: number; failed: number; concurrency: number }>;
}

export interface ExecutionDetail {
  executionId: string;
  totalMs: number;
  ttftMs?: number;
  traceId?: string;
  incident?: string;
  incidentLabel?: string;
  efficiencyPercent: number;
  categories: Record<string, number>;
  criticalPath: CriticalPathEntry[];
  waterfall: WaterfallRow[];
}

export interface ExecutionSummary {
  executionId: string;
  agentName?: string;
  userId?: string;
  /** ms after the report's first execution started. */
  startOffsetMs: number;
  totalMs: number;
  ttftMs?: number;
  outcome: string;
  traceId?: string;
  incident?: string;
  error?: string;
  /** Every breakdown category, ms: they sum to totalMs. */
  categories: Record<string, number>;
  /** Per phase name: its own duration, ms (repeats summed). */
  phases: Record<string, number>;
}

/** Shares by category over one of the aggregator's windows, from its exact per-type sums. */
export interface WindowBreakdown {
  /** Executions completed in the window (total_execution observations). */
  executions: number;
  totalMs: number;
  efficiencyPercent: number;
  /** The seven phase categories from their series; `overhead` is the rest of the executions' time
   *  (the aggregator keeps no series for overhead or uncategorized time, so it holds both). */
  categories: CategoryTotal[];
}

/** Everything the page switches with its window selector, over one of the aggregator's windows. */
export interface WindowView {
  window: string;
  seconds: number;
  percentiles: PercentileRow[];
  slo: SloRow[];
  /** The fields below are absent in reports saved before they existed; the page then shows the headline ones. */
  breakdown?: WindowBreakdown;
  /** getBottlenecks(95) over the window. */
  bottlenecks?: BottleneckRow[];
  /** Over the window's observations in the aggregator's export (the newest maxExportedMetrics of them). */
  anomalies?: AnomalySummary;
  trends?: TrendRow[];
  /** Time observations the anomalies and trends were computed from, and how many the window counted. */
  observations?: { used: number; counted: number };
}

/** The report: what the terminal shows, the JSON holds and the HTML page draws. */
export interface AgentReport {
  schema: string;
  /** Heading of the page and the terminal text. */
  title: string;
  generatedAt: string;
  run: RunInfo;
  endpoints: Endpoints;
  breakdown: { executions: number; totalMs: number; efficiencyPercent: number; categories: CategoryTotal[] };
  percentiles: PercentileRow[];
  /** The aggregator's windows, 1 min … 1 week (the live report). */
  windows?: WindowView[];
  ttft: TtftDistribution;
  bottlenecks: BottleneckRow[];
  anomalies: AnomalySummary;
  slo: SloRow[];
  trends: { basis: string; items: TrendRow[]; aggregator: Record<string, string> };
  recommendations: { average: string[]; slowest: string[] };
  resources: ResourceSummary;
  throughput: Throughput;
  /** Executions in the list beyond the ones with a waterfall (kept bounded). */
  keptNote?: string;
  slowest?: ExecutionDetail;
  executions: ExecutionSummary[];
}

/** What the page embeds: the report and the kept executions' waterfalls. */
export interface PageData {
  report: AgentReport;
  waterfalls: Record<string, WaterfallRow[]>;
  categories: Record<string, { hex: string; label: string }>;
  metricLabels: Record<string, string>;
  /** The live page polls this URL (relative) for new data; absent in a saved file. */
  liveJson?: string;
  /** Poll interval of the live page, ms. */
  pollMs?: number;
}
