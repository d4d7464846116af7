import { INCIDENT_LABEL, type Incident } from '../scenario';
import {
  AggregationWindow,
  BREAKDOWN_CATEGORIES,
  CATEGORY_FIELD,
  DEFAULT_SLO_THRESHOLDS_MS,
  MetricType,
  TIME_METRIC_TYPES,
  VERSION,
  type CriticalPathEntry,
  type MetricsAggregator,
  type PerformanceMetric,
  type ResourceSample,
  type PerformanceAnalyzer,
} from '../../../src';
import type { WaterfallRow } from '../waterfall';
import type { ExecutionRecord } from '../workload';

/** The report of one demo run: what the terminal shows, `--json` writes and `--html` draws. */
export interface DemoReport {
  schema: 'agent-timing-demo/1';
  run: RunInfo;
  endpoints: Endpoints;
  breakdown: { executions: number; totalMs: number; efficiencyPercent: number; categories: CategoryTotal[] };
  percentiles: PercentileRow[];
  ttft: TtftDistribution;
  bottlenecks: BottleneckRow[];
  anomalies: AnomalySummary;
  slo: SloRow[];
  trends: { basis: string; items: TrendRow[]; aggregator: Record<string, string> };
  recommendations: { average: string[]; slowest: string[] };
  /** The process while it served the run (the SDK's ResourceSampler, once a second). */
  resources: ResourceSummary;
  slowest: ExecutionDetail;
  executions: ExecutionSummary[];
}

export interface RunInfo {
  seed: number;
  requests: number;
  concurrency: number;
  agentName: string;
  startedAt: string;
  /** Wall-clock time of the workload (first arrival to last completion), ms. */
  durationMs: number;
  /** Start-up before the workload (PGlite, servers, telemetry), ms. */
  startupMs: number;
  databaseStartMs: number;
  succeeded: number;
  failed: number;
  sdkVersion: string;
  node: string;
}

export interface Endpoints {
  metricsUrl?: string;
  /** Why the endpoint is not where asked (port in use) or not up at all. */
  metricsNote?: string;
  /** The demo's own scrape of /metrics half-way through the run. */
  metricsScrape?: { afterRequests: number; status?: number; agentTimingSeries?: number; error?: string };
  otlpTracesUrl?: string;
  upstreamUrl: string;
  websocketUrl: string;
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
  incident?: Incident;
}

export interface AnomalySummary {
  method: string;
  total: number;
  /** Per metric type: how many, and the most extreme one. */
  byType: Array<{ metricType: string; count: number; worst: AnomalyRow }>;
  planted: Array<{ executionId: string; incident: Incident; label: string; flagged: boolean }>;
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
  /** getPerformanceSummary().resourceUtilization at the end of the run. */
  latest: Record<string, number>;
}

export interface TrendRow {
  metricType: string;
  firstHalfP95: number;
  secondHalfP95: number;
  changePercent: number;
  trend: 'improving' | 'stable' | 'degrading';
}

export interface ExecutionDetail {
  executionId: string;
  totalMs: number;
  ttftMs?: number;
  incident?: Incident;
  incidentLabel?: string;
  efficiencyPercent: number;
  categories: Record<string, number>;
  criticalPath: CriticalPathEntry[];
  waterfall: WaterfallRow[];
}

export interface ExecutionSummary {
  executionId: string;
  userId: string;
  startOffsetMs: number;
  totalMs: number;
  ttftMs?: number;
  outcome: string;
  incident?: Incident;
  error?: string;
  /** Every breakdown category, ms: they sum to totalMs. */
  categories: Record<string, number>;
  /** Per phase name: its own duration, ms (repeats summed). */
  phases: Record<string, number>;
}

export interface ReportInputs {
  records: ExecutionRecord[];
  aggregator: MetricsAggregator;
  analyzer: PerformanceAnalyzer;
  run: Omit<RunInfo, 'succeeded' | 'failed' | 'sdkVersion' | 'node' | 'requests'>;
  endpoints: Endpoints;
  resourceSamples: ResourceSample[];
}

/** The guide's objectives; 99 % of observations within each threshold is the target. */
export const SLO_TARGET_PERCENT = 99;
const TTFT_BUCKETS = [0, 250, 500, 750, 1000, 1500, 2500];
/** A p95 that moves by less than this is stable, whatever the percentage (2 ms → 3 ms is noise). */
const TREND_MIN_CHANGE_MS = 5;

function categoriesOf(b: ExecutionRecord['breakdown']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of BREAKDOWN_CATEGORIES) out[c] = b[CATEGORY_FIELD[c]];
  return out;
}

function efficiency(b: ExecutionRecord['breakdown']): number {
  return b.totalMs > 0 ? (100 * (b.totalMs - b.queueWaitMs - b.overheadMs)) / b.totalMs : 100;
}

/** Nearest-rank percentile of a list (exact; for the small per-half lists of the trends). */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function breakdownTotals(records: ExecutionRecord[]): DemoReport['breakdown'] {
  const totalMs = records.reduce((s, r) => s + r.breakdown.totalMs, 0);
  const categories = BREAKDOWN_CATEGORIES.map((category) => {
    const sum = records.reduce((s, r) => s + r.breakdown[CATEGORY_FIELD[category]], 0);
    return { category, ms: sum, percent: totalMs > 0 ? (100 * sum) / totalMs : 0, meanMs: sum / Math.max(1, records.length) };
  })
    .filter((c) => c.ms > 0)
    .sort((a, b) => b.ms - a.ms);
  const waste = records.reduce((s, r) => s + r.breakdown.queueWaitMs + r.breakdown.overheadMs, 0);
  return { executions: records.length, totalMs, efficiencyPercent: totalMs > 0 ? (100 * (totalMs - waste)) / totalMs : 100, categories };
}

function percentileRows(aggregator: MetricsAggregator): PercentileRow[] {
  const rows: PercentileRow[] = [];
  for (const type of TIME_METRIC_TYPES) {
    const a = aggregator.getAggregatedMetrics(type, AggregationWindow.HOUR);
    if (a) rows.push({ metricType: type, count: a.count, mean: a.mean, p50: a.p50, p90: a.p90, p95: a.p95, p99: a.p99, max: a.max });
  }
  return rows;
}

function ttftDistribution(records: ExecutionRecord[], aggregator: MetricsAggregator): TtftDistribution {
  const values = records.map((r) => r.breakdown.ttftMs).filter((v): v is number => v !== undefined);
  const a = aggregator.getAggregatedMetrics(MetricType.TTFT, AggregationWindow.HOUR);
  const buckets = TTFT_BUCKETS.map((fromMs, i) => {
    const toMs = TTFT_BUCKETS[i + 1] ?? null;
    return { fromMs, toMs, count: values.filter((v) => v >= fromMs && (toMs === null || v < toMs)).length };
  });
  return { count: values.length, p50: a?.p50, p95: a?.p95, p99: a?.p99, max: a?.max, sloMs: DEFAULT_SLO_THRESHOLDS_MS.time_to_first_token, buckets };
}

function bottleneckRows(aggregator: MetricsAggregator): BottleneckRow[] {
  return aggregator
    .getBottlenecks(95)
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

function anomalySummary(metrics: PerformanceMetric[], analyzer: PerformanceAnalyzer, records: ExecutionRecord[]): AnomalySummary {
  const incidentOf = new Map(records.filter((r) => r.plan.incident).map((r) => [r.breakdown.executionId, r.plan.incident!]));
  const zThreshold = 3.5;
  const timings = metrics.filter((m) => (TIME_METRIC_TYPES as readonly string[]).includes(m.metricType)); // not memory, not pool usage
  const found = analyzer.detectAnomalies(timings, { mode: 'robust', zThreshold }).filter((a) => a.zScore > 0); // slow, not fast
  const byType = new Map<string, { count: number; worst: AnomalyRow }>();
  for (const a of found) {
    const row: AnomalyRow = { metricType: a.metricType, value: a.value, median: a.mean, zScore: a.zScore, executionId: a.executionId };
    const incident = a.executionId ? incidentOf.get(a.executionId) : undefined;
    if (incident) row.incident = incident;
    const entry = byType.get(a.metricType);
    if (entry) entry.count++;
    else byType.set(a.metricType, { count: 1, worst: row }); // detectAnomalies sorts most extreme first
  }
  const flagged = new Set(found.map((a) => a.executionId));
  return {
    method: `robust z-score (median/MAD) > ${zThreshold}, slow side`,
    total: found.length,
    byType: [...byType].map(([metricType, v]) => ({ metricType, ...v })).sort((a, b) => b.worst.zScore - a.worst.zScore),
    planted: [...incidentOf].map(([executionId, incident]) => ({ executionId, incident, label: INCIDENT_LABEL[incident], flagged: flagged.has(executionId) })),
  };
}

function sloRows(metrics: PerformanceMetric[], analyzer: PerformanceAnalyzer): SloRow[] {
  const budgets = analyzer.calculateErrorBudget(metrics, { ...DEFAULT_SLO_THRESHOLDS_MS }, SLO_TARGET_PERCENT);
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
 * Trends within the run: p95 of the first half of each type's observations against the second
 * half, with the aggregator's ±10 % bands. (The aggregator's own trends compare consecutive
 * five-minute windows, so they appear only in runs longer than five minutes, e.g. with --serve.)
 */
function trendRows(metrics: PerformanceMetric[]): TrendRow[] {
  const byType = new Map<string, PerformanceMetric[]>();
  for (const m of metrics) {
    if (!(TIME_METRIC_TYPES as readonly string[]).includes(m.metricType)) continue;
    const list = byType.get(m.metricType) ?? [];
    list.push(m);
    byType.set(m.metricType, list);
  }
  const rows: TrendRow[] = [];
  for (const [metricType, list] of byType) {
    if (list.length < 8) continue;
    list.sort((a, b) => a.timestamp - b.timestamp);
    const half = Math.floor(list.length / 2);
    const first = percentile(list.slice(0, half).map((m) => m.value), 95);
    const second = percentile(list.slice(half).map((m) => m.value), 95);
    if (!(first > 0.5 || second > 0.5)) continue; // sub-millisecond noise says nothing
    const changePercent = first > 0 ? (100 * (second - first)) / first : 100;
    const material = Math.abs(second - first) >= TREND_MIN_CHANGE_MS;
    const trend = !material ? 'stable' : changePercent > 10 ? 'degrading' : changePercent < -10 ? 'improving' : 'stable';
    rows.push({ metricType, firstHalfP95: first, secondHalfP95: second, changePercent, trend });
  }
  return rows.sort((a, b) => TIME_METRIC_TYPES.indexOf(a.metricType as never) - TIME_METRIC_TYPES.indexOf(b.metricType as never));
}

function resourceSummary(samples: ResourceSample[], latest: Record<string, number>): ResourceSummary {
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

function executionSummary(r: ExecutionRecord): ExecutionSummary {
  const b = r.breakdown;
  const s: ExecutionSummary = {
    executionId: b.executionId,
    userId: r.plan.userId,
    startOffsetMs: r.startOffsetMs,
    totalMs: b.totalMs,
    outcome: b.outcome ?? 'success',
    categories: categoriesOf(b),
    phases: { ...b.phases },
  };
  if (b.ttftMs !== undefined) s.ttftMs = b.ttftMs;
  if (r.plan.incident) s.incident = r.plan.incident;
  if (r.error) s.error = r.error;
  return s;
}

export function executionDetail(r: ExecutionRecord): ExecutionDetail {
  const b = r.breakdown;
  const d: ExecutionDetail = {
    executionId: b.executionId,
    totalMs: b.totalMs,
    efficiencyPercent: efficiency(b),
    categories: categoriesOf(b),
    criticalPath: r.criticalPath,
    waterfall: r.waterfall,
  };
  if (b.ttftMs !== undefined) d.ttftMs = b.ttftMs;
  if (r.plan.incident) {
    d.incident = r.plan.incident;
    d.incidentLabel = INCIDENT_LABEL[r.plan.incident];
  }
  return d;
}

/** Builds the whole report from the records and the SDK's aggregator and analyzer. */
export function buildReport(i: ReportInputs): DemoReport {
  const { records, aggregator, analyzer } = i;
  const metrics = aggregator.exportMetrics(AggregationWindow.HOUR);
  const slowest = records.reduce((a, b) => (b.breakdown.totalMs > a.breakdown.totalMs ? b : a));
  const summary = aggregator.getPerformanceSummary();
  return {
    schema: 'agent-timing-demo/1',
    run: {
      ...i.run,
      requests: records.length,
      succeeded: records.filter((r) => r.breakdown.outcome !== 'error').length,
      failed: records.filter((r) => r.breakdown.outcome === 'error').length,
      sdkVersion: VERSION,
      node: process.version,
    },
    endpoints: i.endpoints,
    breakdown: breakdownTotals(records),
    percentiles: percentileRows(aggregator),
    ttft: ttftDistribution(records, aggregator),
    bottlenecks: bottleneckRows(aggregator),
    anomalies: anomalySummary(metrics, analyzer, records),
    slo: sloRows(metrics, analyzer),
    trends: { basis: `p95, first half of the run vs second half (±10 % and ≥ ${TREND_MIN_CHANGE_MS} ms)`, items: trendRows(metrics), aggregator: { ...summary.trends } },
    recommendations: {
      average: analyzer.analyzeAggregates(summary.currentMetrics)?.recommendations ?? [],
      slowest: analyzer.analyzeTimingBreakdown(slowest.breakdown).recommendations,
    },
    resources: resourceSummary(i.resourceSamples, summary.resourceUtilization),
    slowest: executionDetail(slowest),
    executions: records.map(executionSummary),
  };
}
