// Over ~400 lines on purpose: every section of the report (executions, percentiles, SLOs, bottlenecks,
// anomalies, trends, windows) is computed here from the same inputs, each as a step of one generator
// (buildReportSteps) that the live endpoint runs in slices; splitting it would spread one pipeline
// over files that each need all of its inputs.
import type { MetricsAggregator } from '../aggregation/metrics-aggregator';
import { PerformanceAnalyzer } from '../analysis/performance-analyzer';
import type { ResourceSample } from '../agents/resource-sampler';
import { DEFAULT_SLO_THRESHOLDS_MS } from '../metrics/buckets';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD, CATEGORY_METRIC_TYPE, PHASE_CATEGORIES } from '../breakdown/categories';
import type { CriticalPathEntry } from '../breakdown/critical-path';
import { efficiencyScore, type TimingBreakdownData } from '../breakdown/timing-breakdown';
import { changePercent, classifyTrend, DEFAULT_TREND_THRESHOLDS } from '../aggregation/trend';
import { percentile } from '../analysis/statistics';
import type { Anomaly } from '../analysis/anomaly-detection';
import type { AggregatedMetrics } from '../aggregation/aggregated-metrics';
import { AggregationWindow, MetricType, TIME_METRIC_TYPES, type PerformanceMetric } from '../types/metric-type';
import { VERSION } from '../version';
import {
  REPORT_SCHEMA,
  type AgentReport,
  type AnomalyRow,
  type AnomalySummary,
  type BottleneckRow,
  type Endpoints,
  type ExecutionDetail,
  type ExecutionSummary,
  type PercentileRow,
  type ResourceSummary,
  type RunInfo,
  type SloRow,
  type Throughput,
  type TrendRow,
  type TtftDistribution,
  type WaterfallRow,
  type WindowBreakdown,
  type WindowView,
} from './model';

/** One completed execution as the report takes it. */
export interface ReportExecution {
  breakdown: TimingBreakdownData;
  /** The collector's critical path (the waterfall's marks come from it when given). */
  criticalPath?: CriticalPathEntry[];
  /** Its spans as waterfall rows; executions without one are listed but cannot be opened. */
  waterfall?: WaterfallRow[];
  traceId?: string;
  /** ms after the report's first execution started; default from breakdown.startedAt. */
  startOffsetMs?: number;
  error?: string;
  userId?: string;
  /** A known outlier the application marked (the demo plants them): a key and a sentence. */
  incident?: string;
  incidentLabel?: string;
}

/** Options of buildReport(). */
export interface BuildReportOptions {
  executions: readonly ReportExecution[];
  aggregator: MetricsAggregator;
  analyzer?: PerformanceAnalyzer;
  title?: string;
  /** Facts about the run the report cannot know (seed, concurrency, start-up). */
  run?: Partial<RunInfo>;
  endpoints?: Endpoints;
  resourceSamples?: readonly ResourceSample[];
  /** SLO thresholds in ms by MetricType value. Default the guide's three. */
  sloThresholdsMs?: Record<string, number>;
  /** Percent of observations within each threshold. Default 99. */
  sloTargetPercent?: number;
  /** Window of the headline percentiles, SLOs, anomalies and trends. Default one hour. */
  window?: AggregationWindow;
  /** Also report each of the aggregator's windows (percentiles, SLOs, shares by category, bottlenecks,
   *  anomalies and trends); the headline's are then those of `window`. Default false. */
  allWindows?: boolean;
  /** Buckets of the throughput chart. Default 60. */
  throughputBuckets?: number;
  keptNote?: string;
}

/** 99 % of observations within each threshold is the default target. */
export const DEFAULT_SLO_TARGET_PERCENT = 99;
const TTFT_BUCKET_FRACTIONS = [0, 0.25, 0.5, 0.75, 1, 1.5, 2.5];
/** A p95 that moves by less than this is stable, whatever the percentage (2 ms → 3 ms is noise). */
const TREND_MIN_CHANGE_MS = 5;
const Z_THRESHOLD = 3.5;

export function categoriesOf(b: TimingBreakdownData): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of BREAKDOWN_CATEGORIES) out[c] = b[CATEGORY_FIELD[c]];
  return out;
}

function efficiency(b: TimingBreakdownData): number {
  return efficiencyScore(b.totalMs, b.queueWaitMs, b.overheadMs);
}

/** Category rows with time in them, largest first, as shares of `totalMs` over `executions`. */
function shareRows(rows: ReadonlyArray<{ category: string; ms: number }>, totalMs: number, executions: number): WindowBreakdown['categories'] {
  return rows
    .filter((r) => r.ms > 0)
    .map((r) => ({ category: r.category, ms: r.ms, percent: totalMs > 0 ? (100 * r.ms) / totalMs : 0, meanMs: r.ms / Math.max(1, executions) }))
    .sort((a, b) => b.ms - a.ms);
}

function breakdownTotals(list: readonly ReportExecution[]): AgentReport['breakdown'] {
  const totalMs = list.reduce((s, r) => s + r.breakdown.totalMs, 0);
  const rows = BREAKDOWN_CATEGORIES.map((category) => ({ category, ms: list.reduce((s, r) => s + r.breakdown[CATEGORY_FIELD[category]], 0) }));
  const waste = list.reduce((s, r) => s + r.breakdown.queueWaitMs + r.breakdown.overheadMs, 0);
  return { executions: list.length, totalMs, efficiencyPercent: efficiencyScore(totalMs, waste, 0), categories: shareRows(rows, totalMs, list.length) };
}

function percentileRows(aggregator: MetricsAggregator, window: AggregationWindow): PercentileRow[] {
  const rows: PercentileRow[] = [];
  for (const type of TIME_METRIC_TYPES) {
    const a = aggregator.getAggregatedMetrics(type, window);
    if (a) rows.push({ metricType: type, count: a.count, mean: a.mean, p50: a.p50, p90: a.p90, p95: a.p95, p99: a.p99, max: a.max });
  }
  return rows;
}

function ttftDistribution(list: readonly ReportExecution[], aggregator: MetricsAggregator, window: AggregationWindow, sloMs: number): TtftDistribution {
  const values = list.map((r) => r.breakdown.ttftMs).filter((v): v is number => v !== undefined);
  const a = aggregator.getAggregatedMetrics(MetricType.TTFT, window);
  const edges = TTFT_BUCKET_FRACTIONS.map((f) => Math.round(f * sloMs));
  const buckets = edges.map((fromMs, i) => {
    const toMs = edges[i + 1] ?? null;
    return { fromMs, toMs, count: values.filter((v) => v >= fromMs && (toMs === null || v < toMs)).length };
  });
  return { count: values.length, p50: a?.p50, p95: a?.p95, p99: a?.p99, max: a?.max, sloMs, buckets };
}

function bottleneckRows(aggregator: MetricsAggregator, window?: AggregationWindow): BottleneckRow[] {
  return aggregator
    .getBottlenecks(95, window === undefined ? {} : { window })
    .filter((b) => b.metricType !== 'total_execution' && b.timeAboveThresholdMs > 0)
    .map((b) => ({
      metricType: b.metricType,
      thresholdMs: b.threshold,
      count: b.count,
      atOrAbove: b.atOrAboveCount,
      timeAboveMs: b.timeAboveThresholdMs,
      percentOfTypeTime: b.percentOfTypeTime,
      maxMs: b.max,
    }));
}

function* anomalySummary(metrics: PerformanceMetric[], analyzer: PerformanceAnalyzer, list: readonly ReportExecution[]): Generator<void, AnomalySummary> {
  const marked = list.filter((r) => r.incident);
  const incidentOf = new Map(marked.map((r) => [r.breakdown.executionId, r.incident!]));
  // One metric type at a time (a pause between them), in the order detectAnomalies groups them, then
  // its sort: the same list as one call over every timing (not memory, not pool usage).
  const byType = groupTimings(metrics);
  yield;
  let all: Anomaly[] = [];
  for (const group of byType.values()) {
    all = all.concat(analyzer.detectAnomalies(group, { mode: 'robust', zThreshold: Z_THRESHOLD }));
    yield;
  }
  const found = all.sort((a, b) => Math.abs(b.zScore) - Math.abs(a.zScore) || a.timestamp - b.timestamp).filter((a) => a.zScore > 0); // slow, not fast
  const rows = new Map<string, { count: number; worst: AnomalyRow }>();
  for (const a of found) {
    const row: AnomalyRow = { metricType: a.metricType, value: a.value, median: a.mean, zScore: a.zScore };
    if (a.executionId) row.executionId = a.executionId;
    const incident = a.executionId ? incidentOf.get(a.executionId) : undefined;
    if (incident) row.incident = incident;
    const entry = rows.get(a.metricType);
    if (entry) entry.count++;
    else rows.set(a.metricType, { count: 1, worst: row }); // sorted most extreme first
  }
  const flagged = new Set(found.map((a) => a.executionId).filter((id): id is string => id !== undefined));
  return {
    method: `robust z-score (median/MAD) > ${Z_THRESHOLD}, slow side`,
    total: found.length,
    executions: flagged.size,
    byType: [...rows].map(([metricType, v]) => ({ metricType, ...v })).sort((a, b) => b.worst.zScore - a.worst.zScore),
    planted: marked.map((r) => ({
      executionId: r.breakdown.executionId,
      incident: r.incident!,
      label: r.incidentLabel ?? r.incident!,
      flagged: flagged.has(r.breakdown.executionId),
    })),
  };
}

/** The time metrics of a list by type, in order of first appearance. */
function groupTimings(metrics: readonly PerformanceMetric[]): Map<string, PerformanceMetric[]> {
  const byType = new Map<string, PerformanceMetric[]>();
  for (const m of metrics) {
    if (!(TIME_METRIC_TYPES as readonly string[]).includes(m.metricType)) continue;
    const group = byType.get(m.metricType);
    if (group) group.push(m);
    else byType.set(m.metricType, [m]);
  }
  return byType;
}

/**
 * SLO rows from a metric list (exact), or from the aggregator's sketches over `window` (every
 * observation of the window, ±1 % at the threshold) when the list is not given.
 */
function sloRows(
  source: PerformanceMetric[] | MetricsAggregator,
  analyzer: PerformanceAnalyzer,
  thresholds: Record<string, number>,
  target: number,
  window: AggregationWindow,
): SloRow[] {
  const budgets = analyzer.calculateErrorBudget(source, { ...thresholds }, target, { window });
  return Object.values(budgets).map((b) => ({
    metricType: b.metricType,
    thresholdMs: b.threshold,
    targetPercent: b.targetPercent,
    compliancePercent: b.compliancePercent,
    good: b.good,
    total: b.total,
    budgetRemainingPercent: b.budgetRemainingPercent,
    met: b.met,
  }));
}

/**
 * Trends within the report: p95 of the first half of each type's observations against the second
 * half, with the aggregator's ±10 % bands. (The aggregator's own trends compare consecutive
 * five-minute windows, so they appear only after five minutes.)
 */
function* trendRows(metrics: PerformanceMetric[]): Generator<void, TrendRow[]> {
  const rows: TrendRow[] = [];
  for (const [metricType, list] of groupTimings(metrics)) {
    if (list.length < 8) continue;
    yield; // one type per step: each sorts its observations
    list.sort((a, b) => a.timestamp - b.timestamp);
    const half = Math.floor(list.length / 2);
    const first = percentile(list.slice(0, half).map((m) => m.value), 95);
    const second = percentile(list.slice(half).map((m) => m.value), 95);
    if (!(first > 0.5 || second > 0.5)) continue; // sub-millisecond noise says nothing
    const material = Math.abs(second - first) >= TREND_MIN_CHANGE_MS;
    const trend = material ? classifyTrend(second, first, DEFAULT_TREND_THRESHOLDS) : 'stable';
    rows.push({ metricType, firstHalfP95: first, secondHalfP95: second, changePercent: changePercent(second, first), trend });
  }
  return rows.sort((a, b) => TIME_METRIC_TYPES.indexOf(a.metricType as never) - TIME_METRIC_TYPES.indexOf(b.metricType as never));
}

function resourceSummary(samples: readonly ResourceSample[], latest: Record<string, number>): ResourceSummary {
  const mean = (f: (s: ResourceSample) => number): number | undefined =>
    samples.length ? samples.reduce((a, s) => a + f(s), 0) / samples.length : undefined;
  const max = (f: (s: ResourceSample) => number | undefined): number | undefined => {
    const values = samples.map(f).filter((v): v is number => v !== undefined);
    return values.length ? Math.max(...values) : undefined;
  };
  const out: ResourceSummary = { samples: samples.length, latest: { ...latest } };
  const set = <K extends keyof ResourceSummary>(k: K, v: ResourceSummary[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('cpuPercentMean', mean((s) => s.cpuPercent));
  set('memoryMbPeak', max((s) => s.memoryMb));
  set('eventLoopUtilizationPercentMean', mean((s) => s.eventLoopUtilizationPercent));
  set('eventLoopDelayP99MsMax', max((s) => s.eventLoopDelayP99Ms));
  return out;
}

/**
 * Completions per bucket of wall-clock time (at each execution's end) and mean concurrency (the
 * executions' time inside the bucket over its length).
 */
export function throughput(spans: ReadonlyArray<{ startedAt: number; totalMs: number; failed: boolean }>, bucketCount: number): Throughput {
  if (spans.length === 0) return { startEpochMs: Date.now(), bucketMs: 1000, buckets: [] };
  let from = Infinity;
  let to = -Infinity;
  for (const s of spans) {
    from = Math.min(from, s.startedAt);
    to = Math.max(to, s.startedAt + s.totalMs);
  }
  const raw = Math.max(1, (to - from) / Math.max(1, bucketCount));
  const bucketMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000].find((b) => b >= raw) ?? 3_600_000;
  const start = Math.floor(from / bucketMs) * bucketMs;
  const n = Math.max(1, Math.ceil((to - start) / bucketMs));
  const buckets = Array.from({ length: n }, () => ({ completed: 0, failed: 0, concurrency: 0 }));
  for (const s of spans) {
    const end = s.startedAt + s.totalMs;
    const at = buckets[Math.min(n - 1, Math.floor((end - start) / bucketMs))];
    at.completed++;
    if (s.failed) at.failed++;
    for (let i = Math.floor((s.startedAt - start) / bucketMs); i < n && start + i * bucketMs < end; i++) {
      const b0 = start + i * bucketMs;
      buckets[i].concurrency += Math.max(0, Math.min(end, b0 + bucketMs) - Math.max(s.startedAt, b0)) / bucketMs;
    }
  }
  return { startEpochMs: start, bucketMs, buckets };
}

function executionSummary(r: ReportExecution, t0: number): ExecutionSummary {
  const b = r.breakdown;
  const s: ExecutionSummary = {
    executionId: b.executionId,
    startOffsetMs: r.startOffsetMs ?? b.startedAt - t0,
    totalMs: b.totalMs,
    outcome: b.outcome ?? 'success',
    categories: categoriesOf(b),
    phases: { ...b.phases },
  };
  if (r.userId !== undefined) s.userId = r.userId;
  if (b.agentName) s.agentName = b.agentName;
  if (b.ttftMs !== undefined) s.ttftMs = b.ttftMs;
  if (r.traceId) s.traceId = r.traceId;
  if (r.incident) s.incident = r.incident;
  if (r.error) s.error = r.error;
  return s;
}

export function executionDetail(r: ReportExecution): ExecutionDetail {
  const b = r.breakdown;
  const d: ExecutionDetail = {
    executionId: b.executionId,
    totalMs: b.totalMs,
    efficiencyPercent: efficiency(b),
    categories: categoriesOf(b),
    criticalPath: r.criticalPath ?? [],
    waterfall: r.waterfall ?? [],
  };
  if (b.ttftMs !== undefined) d.ttftMs = b.ttftMs;
  if (r.traceId) d.traceId = r.traceId;
  if (r.incident) {
    d.incident = r.incident;
    d.incidentLabel = r.incidentLabel ?? r.incident;
  }
  return d;
}

const WINDOWS: Array<[string, AggregationWindow]> = [
  ['1m', AggregationWindow.MINUTE],
  ['5m', AggregationWindow.FIVE_MINUTES],
  ['1h', AggregationWindow.HOUR],
  ['1d', AggregationWindow.DAY],
  ['1w', AggregationWindow.WEEK],
];

/** Index of the first metric at or after `fromMs` in a list sorted by timestamp (exportMetrics' order). */
function firstAtOrAfter(metrics: readonly PerformanceMetric[], fromMs: number): number {
  let lo = 0;
  let hi = metrics.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (metrics[mid].timestamp < fromMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Shares by category over a window from the aggregator's exact sums per type: the seven phase
 * categories have a series each; the rest of total_execution's time is overhead (and uncategorized
 * time, which has no series either).
 */
function windowBreakdown(stats: ReadonlyMap<string, AggregatedMetrics>): WindowBreakdown {
  const total = stats.get(MetricType.TOTAL_EXECUTION);
  if (!total || !(total.sum > 0)) return { executions: total?.count ?? 0, totalMs: total?.sum ?? 0, efficiencyPercent: efficiencyScore(0, 0, 0), categories: [] };
  const rows = PHASE_CATEGORIES.map((category) => ({ category: category as string, ms: stats.get(CATEGORY_METRIC_TYPE[category])?.sum ?? 0 }));
  const covered = rows.reduce((a, r) => a + r.ms, 0);
  rows.push({ category: 'overhead', ms: Math.max(0, total.sum - covered) });
  const waste = (stats.get(MetricType.QUEUE_WAIT)?.sum ?? 0) + rows[rows.length - 1].ms;
  return {
    executions: total.count,
    totalMs: total.sum,
    efficiencyPercent: efficiencyScore(total.sum, waste, 0),
    categories: shareRows(rows, total.sum, total.count),
  };
}

/**
 * Every window's view, in steps: one export (the week's; a shorter window's observations are the
 * tail of it, the export being sorted by time), then per window its statistics, SLOs, shares and
 * bottlenecks from the sketches (a step each) and its anomalies and trends over its part of the
 * export (a step per metric type). Windows whose part is the same as a shorter one's (no
 * observation between their starts) share its anomalies and trends.
 */
function* windowViewsSteps(
  aggregator: MetricsAggregator,
  analyzer: PerformanceAnalyzer,
  thresholds: Record<string, number>,
  target: number,
  list: readonly ReportExecution[],
): Generator<void, WindowView[], void> {
  const exported = yield* aggregator.exportMetricsSteps(AggregationWindow.WEEK);
  yield;
  const views: WindowView[] = [];
  const byStart = new Map<number, Pick<WindowView, 'anomalies' | 'trends' | 'observations'>>();
  for (const [name, w] of WINDOWS) {
    const stats = new Map<string, AggregatedMetrics>();
    const percentiles: PercentileRow[] = [];
    let fromMs = Infinity;
    let counted = 0;
    for (const type of TIME_METRIC_TYPES) {
      const a = aggregator.getAggregatedMetrics(type, w);
      if (!a) continue;
      stats.set(type, a);
      fromMs = a.windowStartMs;
      counted += a.count;
      percentiles.push({ metricType: type, count: a.count, mean: a.mean, p50: a.p50, p90: a.p90, p95: a.p95, p99: a.p99, max: a.max });
    }
    yield;
    const slo = sloRows(aggregator, analyzer, thresholds, target, w);
    yield;
    const breakdown = windowBreakdown(stats);
    const bottlenecks = bottleneckRows(aggregator, w);
    yield;
    const start = firstAtOrAfter(exported, fromMs);
    let tail = byStart.get(start);
    if (!tail) {
      const metrics = exported.slice(start);
      const inWindow = list.filter((r) => r.breakdown.startedAt + r.breakdown.totalMs >= fromMs);
      const anomalies = yield* anomalySummary(metrics, analyzer, inWindow);
      const trends = yield* trendRows(metrics);
      let used = 0;
      for (const m of metrics) if ((TIME_METRIC_TYPES as readonly string[]).includes(m.metricType)) used++;
      tail = { anomalies, trends, observations: { used, counted } };
      byStart.set(start, tail);
      yield;
    }
    views.push({ window: name, seconds: w, percentiles, slo, breakdown, bottlenecks, anomalies: tail.anomalies, trends: tail.trends, observations: { used: tail.observations!.used, counted } });
  }
  return views;
}

/** Builds the report from completed executions and the aggregator's windows. */
export function buildReport(o: BuildReportOptions): AgentReport {
  const steps = buildReportSteps(o);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * buildReport() in steps: each `yield` is a point where the caller may give the event loop a turn
 * (the live page runs a few steps per slice, see live.ts). No step is longer than one aggregator
 * query, one metric type's anomaly scan or sort, or one pass over the listed executions; the
 * result is the same as buildReport()'s.
 */
export function* buildReportSteps(o: BuildReportOptions): Generator<void, AgentReport, void> {
  const list = o.executions;
  const aggregator = o.aggregator;
  const analyzer = o.analyzer ?? new PerformanceAnalyzer();
  const window = o.window ?? AggregationWindow.HOUR;
  const thresholds = { ...DEFAULT_SLO_THRESHOLDS_MS, ...(o.sloThresholdsMs ?? {}) };
  const target = o.sloTargetPercent ?? DEFAULT_SLO_TARGET_PERCENT;
  const views = o.allWindows ? yield* windowViewsSteps(aggregator, analyzer, thresholds, target, list) : undefined;
  const headline = views?.find((v) => v.seconds === window);
  // Without the windows: the headline window's own export. The export holds the newest
  // maxExportedMetrics observations: past that the SLO counts come from the aggregator's
  // sketches, which saw every observation of the window.
  const metrics = headline ? [] : aggregator.exportMetrics(window);
  const truncated = headline ? true : aggregator.lastExportTruncated;
  yield;
  const summary = aggregator.getPerformanceSummary();
  yield;
  const withWaterfall = list.filter((r) => r.waterfall && r.waterfall.length > 0);
  const pool = withWaterfall.length ? withWaterfall : list;
  const slowest = pool.length ? pool.reduce((a, b) => (b.breakdown.totalMs > a.breakdown.totalMs ? b : a)) : undefined;
  const t0 = list.reduce((m, r) => Math.min(m, r.breakdown.startedAt), Infinity);
  const end = list.reduce((m, r) => Math.max(m, r.breakdown.startedAt + r.breakdown.totalMs), -Infinity);
  const agents = [...new Set(list.map((r) => r.breakdown.agentName))];
  const run: RunInfo = {
    requests: list.length,
    succeeded: list.filter((r) => r.breakdown.outcome !== 'error').length,
    failed: list.filter((r) => r.breakdown.outcome === 'error').length,
    agentName: agents.length === 1 ? agents[0] : agents.length ? `${agents.length} agents` : '–',
    startedAt: new Date(Number.isFinite(t0) ? t0 : Date.now()).toISOString(),
    durationMs: Number.isFinite(t0) ? end - t0 : 0,
    sdkVersion: VERSION,
    node: process.version,
    ...o.run,
  };
  yield;
  const breakdown = breakdownTotals(list);
  yield;
  const ttft = ttftDistribution(list, aggregator, window, thresholds[MetricType.TTFT] ?? DEFAULT_SLO_THRESHOLDS_MS.time_to_first_token);
  yield;
  let percentiles: PercentileRow[];
  let bottlenecks: BottleneckRow[];
  let anomalies: AnomalySummary;
  let slo: SloRow[];
  let trendItems: TrendRow[];
  if (headline) {
    // The live report: the headline is its window's view (computed once, above).
    ({ percentiles, slo } = headline);
    bottlenecks = headline.bottlenecks!;
    anomalies = headline.anomalies!;
    trendItems = headline.trends!;
  } else {
    percentiles = percentileRows(aggregator, window);
    yield;
    bottlenecks = bottleneckRows(aggregator);
    yield;
    anomalies = yield* anomalySummary(metrics, analyzer, list);
    yield;
    slo = sloRows(truncated ? aggregator : metrics, analyzer, thresholds, target, window);
    yield;
    trendItems = yield* trendRows(metrics);
    yield;
  }
  const recommendations = {
    average: analyzer.analyzeAggregates(summary.currentMetrics)?.recommendations ?? [],
    slowest: slowest ? analyzer.analyzeTimingBreakdown(slowest.breakdown).recommendations : [],
  };
  const resources = resourceSummary(o.resourceSamples ?? [], summary.resourceUtilization);
  yield;
  const throughputView = throughput(
    list.map((r) => ({ startedAt: r.breakdown.startedAt, totalMs: r.breakdown.totalMs, failed: r.breakdown.outcome === 'error' })),
    o.throughputBuckets ?? 60,
  );
  yield;
  const executions = list.map((r) => executionSummary(r, Number.isFinite(t0) ? t0 : 0));
  yield;
  const report: AgentReport = {
    schema: REPORT_SCHEMA,
    title: o.title ?? 'agent-timing report',
    generatedAt: new Date().toISOString(),
    run,
    endpoints: { ...(o.endpoints ?? {}) },
    breakdown,
    percentiles,
    ttft,
    bottlenecks,
    anomalies,
    slo,
    trends: { basis: `p95, first half of the observations vs second half (±10 % and ≥ ${TREND_MIN_CHANGE_MS} ms)`, items: trendItems, aggregator: { ...summary.trends } },
    recommendations,
    resources,
    throughput: throughputView,
    executions,
  };
  if (views) report.windows = views;
  if (o.keptNote) report.keptNote = o.keptNote;
  if (slowest) report.slowest = executionDetail(slowest);
  return report;
}
