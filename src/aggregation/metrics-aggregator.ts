// Over ~400 lines on purpose: the aggregator's public methods (add, windows, summaries, export,
// memory stats) share one ring of slots per metric type; the parts that stand alone already live
// beside it (slot-layout, metric-series, dedupe-ledger, recent-metrics-buffer, bottlenecks, trend).
import { addToCount, reportDrop } from '../internal/diag';
import { describeError, describeForLog, isSanitizedMetadata, metadataCopy } from '../internal/sanitize';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';
import { AggregationWindow, MetricType, TIME_METRIC_TYPES, type PerformanceMetric } from '../types/metric-type';
import { toAggregatedMetrics, type AggregatedMetrics } from './aggregated-metrics';
import { resolveAggregatorOptions, type MetricsAggregatorOptions, type ResolvedAggregatorOptions } from './aggregator-options';
import { bottleneckOf, rankBottlenecks, type Bottleneck } from './bottlenecks';
import { breakdownObservations, isDuration, observed } from './breakdown-observations';
import { DedupeLedger } from './dedupe-ledger';
import { MetricSeries } from './metric-series';
import { METRIC_TYPE_INDEX, METRIC_TYPES, metricTypeIndex } from './metric-type-index';
import type { SketchSettings } from './quantile-sketch';
import { RecentMetricsBuffer } from './recent-metrics-buffer';
import { ResourceReadings } from './resource-readings';
import { FINE_SLOT_MS, windowStart, windowToMs } from './slot-layout';
import { SlotClock } from './slot-clock';
import { sloCountsOf, type SloCounts } from './slo-counts';
import { changePercent, classifyTrend, type Trend, type TrendDetail, type TrendThresholds } from './trend';
import { readingInput } from '../internal/guard';

export type { MetricsAggregatorOptions } from './aggregator-options';
export type { SloCounts } from './slo-counts';

/** What getPerformanceSummary() returns. */
export interface PerformanceSummary {
  /** Per MetricType value with data: the FIVE_MINUTES window. */
  currentMetrics: Record<string, AggregatedMetrics>;
  /** Per MetricType value with data in both windows: last 5 min vs the 5 min before, on p95. */
  trends: Record<string, Trend>;
  /** The numbers behind each trend. */
  trendDetails: Record<string, TrendDetail>;
  /** Latest resource readings (recordResourceUtilization, MEMORY_USAGE, THREAD_POOL_USAGE). */
  resourceUtilization: Record<string, number>;
}

/** Size figures for monitoring an aggregator's memory (getMemoryStats()). */
export interface AggregatorMemoryStats {
  /** Sketch bins allocated per MetricType value (≈ 8 bytes each): the data-dependent part. */
  sketchBins: Record<string, number>;
  /** Time slots holding data per MetricType value (at most 104 with the default retention). */
  liveSlots: Record<string, number>;
  /** Raw metrics held for exportMetrics(). */
  bufferedMetrics: number;
  /** Ledger entries of the exactly-once accounting. */
  trackedExecutions: number;
}

/** Options of getBottlenecks(). */
export interface BottleneckOptions {
  /** Window examined. Default AggregationWindow.HOUR. */
  window?: AggregationWindow;
}

// Hot-path helpers as module-local constants (a re-exported binding can cost a getter call per
// read under some loaders, e.g. tsx/esbuild CommonJS interop).
const TYPE_INDEX = METRIC_TYPE_INDEX;
const validDuration = isDuration;
const MEMORY = metricTypeIndex(MetricType.MEMORY_USAGE) as number;
const THREAD_POOL = metricTypeIndex(MetricType.THREAD_POOL_USAGE) as number;
const FIVE_MINUTES_MS = AggregationWindow.FIVE_MINUTES * 1000;
/** Marks exported observations that came from a TimingBreakdown rather than addMetric(). */
const BREAKDOWN_METADATA: Readonly<Record<string, unknown>> = Object.freeze({ source: 'timing_breakdown' });

/**
 * Windowed statistics of performance metrics in memory fixed by configuration.
 *
 * Each MetricType keeps exact count/sum/min/max/mean/stdDev and a DDSketch per time slot (10 s
 * slots for the last 10 minutes, 5-minute slots for the last hour, hourly slots up to
 * retention); windows merge the slots they cover. Memory does not grow with traffic, old data
 * expires on its own as the clock moves, and percentiles are within ±1 % of the exact values.
 * Record methods never throw: bad input is dropped, counted and logged once through OTel `diag`.
 */
export class MetricsAggregator {
  private readonly opts: ResolvedAggregatorOptions;
  private readonly settings: SketchSettings;
  private readonly futureFineSlots: number;
  private readonly clock: SlotClock;
  private readonly series: (MetricSeries | undefined)[] = new Array<MetricSeries | undefined>(METRIC_TYPES.length);
  private readonly buffer: RecentMetricsBuffer;
  private readonly ledger: DedupeLedger;
  private readonly resources: ResourceReadings;
  private readonly trendThresholds: TrendThresholds;
  /** Timestamps in [fastLo, fastHi] are known to be admissible without reading the clock. */
  private fastLo = Infinity;
  private fastHi = -Infinity;
  private expiredSinceClear = 0;
  private expiredEver = 0;
  private lastOmitted = 0;
  /** metricIdentityTracking === 'all' (checked inline: the common no-executionId path skips the ledger). */
  private readonly trackAllIdentities: boolean;

  constructor(options?: MetricsAggregatorOptions) {
    this.opts = readingInput('new MetricsAggregator()', () => resolveAggregatorOptions(options));
    this.settings = { relativeAccuracy: this.opts.relativeAccuracy, maxBins: this.opts.maxBinsPerSlot };
    this.futureFineSlots = Math.ceil(this.opts.maxFutureSkewMs / FINE_SLOT_MS);
    this.clock = new SlotClock(this.opts.retentionSlots);
    this.buffer = new RecentMetricsBuffer(this.opts.maxExportedMetrics);
    this.ledger = new DedupeLedger(this.opts.maxTrackedExecutions, this.opts.metricIdentityTracking);
    this.resources = new ResourceReadings(this.opts.maxResourceKeys);
    this.trendThresholds = { degrading: this.opts.trendDegradingThreshold, improving: this.opts.trendImprovingThreshold };
    this.trackAllIdentities = this.opts.metricIdentityTracking === 'all';
  }

  /** Retention in whole hours, as applied. */
  get retentionHours(): number {
    return this.opts.retentionSlots;
  }

  /**
   * Adds one observation at its own timestamp (late and out-of-order metrics land in their
   * slot). Dropped and counted, never thrown: unknown types, values that are not finite numbers
   * ≥ 0, bad timestamps, timestamps before retention or beyond the future skew. Ignored (counted
   * without a warning): the same object again, and a type this execution's breakdown already
   * recorded (docs/aggregation.md, "Exactly once").
   */
  addMetric(metric: PerformanceMetric): void {
    try {
      this.takeMetric(metric);
    } catch (err) {
      reportDrop('aggregator-unreadable-input', `addMetric() could not read its argument (a getter or proxy threw: ${errorText(err)}); it was dropped`);
    }
  }

  /**
   * Records a breakdown's observations at `startedAt + totalMs` (now, when startedAt is unset):
   * totalMs → TOTAL_EXECUTION, ttftMs → TTFT, each phase category → its MetricType (zeros
   * included). Skips types the execution already reported through addMetric; a second breakdown
   * of the same executionId is ignored.
   */
  addTimingBreakdown(breakdown: TimingBreakdown): void {
    try {
      this.takeBreakdown(breakdown);
    } catch (err) {
      reportDrop('aggregator-unreadable-input', `addTimingBreakdown() could not read its argument (a getter or proxy threw: ${errorText(err)}); it was dropped`);
    }
  }

  /**
   * Stores the latest named resource readings for the summary's resourceUtilization, e.g.
   * `{ cpuPercent, memoryMb, threadCount, eventLoopUtilizationPercent }`. Values must be finite
   * numbers ≥ 0; a reading older than the stored one of the same name does not replace it.
   */
  recordResourceUtilization(values: Record<string, number>, timestamp?: number): void {
    try {
      if (values === null || typeof values !== 'object') {
        reportDrop('aggregator-invalid-resource', 'recordResourceUtilization() needs an object of name → number; it was dropped');
        return;
      }
      let t = timestamp;
      if (t === undefined) {
        this.tick();
        t = this.clock.nowMs;
      } else if (typeof t !== 'number' || !Number.isFinite(t)) {
        reportDrop('aggregator-invalid-timestamp', 'recordResourceUtilization() timestamp must be finite epoch ms; the readings were dropped');
        return;
      }
      for (const name of Object.keys(values)) this.resources.record(name, values[name], t);
    } catch (err) {
      reportDrop('aggregator-unreadable-input', `recordResourceUtilization() could not read its argument (${errorText(err)}); it was dropped`);
    }
  }

  /** Statistics of `type` over `window` ending now; undefined when the window holds nothing. */
  getAggregatedMetrics(type: MetricType, window: AggregationWindow): AggregatedMetrics | undefined {
    const windowMs = windowToMs(window);
    const series = this.seriesOf(type);
    this.tick();
    if (!series) return undefined;
    const from = this.windowStartFor(windowMs);
    return toAggregatedMetrics(type, window, series.query(from, Infinity, this.clock), from, this.clock.nowMs);
  }

  /** currentMetrics (FIVE_MINUTES), trends (p95, last 5 min vs the 5 min before) and resource readings. */
  getPerformanceSummary(): PerformanceSummary {
    this.tick();
    const currentMetrics: Record<string, AggregatedMetrics> = {};
    const trends: Record<string, Trend> = {};
    const trendDetails: Record<string, TrendDetail> = {};
    const from = this.windowStartFor(FIVE_MINUTES_MS);
    const prevFrom = Math.max(from - FIVE_MINUTES_MS, this.clock.retentionStartMs);
    this.series.forEach((series, i) => {
      if (!series) return;
      const type = METRIC_TYPES[i];
      const cur = toAggregatedMetrics(type, AggregationWindow.FIVE_MINUTES, series.query(from, Infinity, this.clock), from, this.clock.nowMs);
      if (cur) currentMetrics[type] = cur;
      if (!cur || prevFrom >= from) return;
      const prev = toAggregatedMetrics(type, AggregationWindow.FIVE_MINUTES, series.query(prevFrom, from, this.clock), prevFrom, this.clock.nowMs);
      if (!prev || cur.count < this.opts.trendMinSamples || prev.count < this.opts.trendMinSamples) return;
      const trend = classifyTrend(cur.p95, prev.p95, this.trendThresholds);
      trends[type] = trend;
      trendDetails[type] = {
        trend,
        currentP95: cur.p95,
        previousP95: prev.p95,
        changePercent: changePercent(cur.p95, prev.p95),
        currentCount: cur.count,
        previousCount: prev.count,
      };
    });
    return { currentMetrics, trends, trendDetails, resourceUtilization: this.resources.snapshot() };
  }

  /**
   * Per time MetricType with data in the window (default HOUR): the value at
   * `thresholdPercentile` as `threshold`, how many observations exceed it and the time they
   * cost; sorted by time spent at or above the threshold, largest first.
   */
  getBottlenecks(thresholdPercentile = 95, options: BottleneckOptions = {}): Bottleneck[] {
    if (typeof thresholdPercentile !== 'number' || !(thresholdPercentile > 0 && thresholdPercentile <= 100)) {
      throw new RangeError(`agent-timing: thresholdPercentile must be a number in (0, 100], got ${describeForLog(thresholdPercentile)}`);
    }
    const window = options.window ?? AggregationWindow.HOUR;
    const from = this.startOf(window);
    const out: Bottleneck[] = [];
    for (const type of TIME_METRIC_TYPES) {
      const series = this.seriesOf(type);
      if (!series) continue;
      const b = bottleneckOf(type, window, series.query(from, Infinity, this.clock), thresholdPercentile);
      if (b) out.push(b);
    }
    return rankBottlenecks(out);
  }

  /**
   * SLO compliance from the sketches: per key of `thresholds` (MetricType values) with data in
   * the window (default HOUR), the percent of observations ≤ threshold. Keys that are not
   * MetricType values, and types without data, are left out.
   */
  getSloCompliance(thresholds: Record<string, number>, window: AggregationWindow = AggregationWindow.HOUR): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, c] of Object.entries(this.getSloCounts(thresholds, window))) out[key] = (100 * c.good) / c.total;
    return out;
  }

  /** The counts behind getSloCompliance() (used by PerformanceAnalyzer for error budgets). */
  getSloCounts(thresholds: Record<string, number>, window: AggregationWindow = AggregationWindow.HOUR): Record<string, SloCounts> {
    const from = this.startOf(window);
    const out: Record<string, SloCounts> = {};
    for (const [key, threshold] of Object.entries(thresholds ?? {})) {
      if (typeof threshold !== 'number' || !(threshold >= 0) || threshold === Infinity) {
        throw new RangeError(`agent-timing: SLO threshold for "${key}" must be a finite number ≥ 0, got ${describeForLog(threshold)}`);
      }
      const series = this.seriesOf(key);
      const counts = series && sloCountsOf(series.query(from, Infinity, this.clock), threshold);
      if (counts) out[key] = counts;
    }
    return out;
  }

  /**
   * Raw observations in the window, oldest first (newest last), as JSON-safe plain objects,
   * from the bounded recent buffer (maxExportedMetrics, default 10 000, newest kept). When the
   * buffer no longer holds everything the window counted, `lastExportTruncated` is true and
   * `lastExportOmitted` says how many are missing. Observations from breakdowns are included
   * with `metadata: { source: 'timing_breakdown' }`.
   */
  exportMetrics(window: AggregationWindow): PerformanceMetric[] {
    const from = this.startOf(window);
    const metrics = this.buffer.exportSince(from);
    this.lastOmitted = Math.max(0, this.countedSince(from) - metrics.length);
    return metrics;
  }

  /**
   * exportMetrics() in steps, the same list (with lastExportTruncated/lastExportOmitted set when it
   * ends): the window's entries are picked and copied in the first step, then turned into objects
   * `perStep` at a time, with a yield between, so a caller can give the event loop a turn (the live
   * report: its largest step was this export, 6–30 ms for 10 000 observations).
   */
  *exportMetricsSteps(window: AggregationWindow, perStep = 1000): Generator<void, PerformanceMetric[], void> {
    const from = this.startOf(window);
    const counted = this.countedSince(from);
    const metrics = yield* this.buffer.exportSinceSteps(from, Math.max(1, perStep));
    this.lastOmitted = Math.max(0, counted - metrics.length);
    return metrics;
  }

  /** Observations the windows counted since `from` (every type), for the export's truncation figures. */
  private countedSince(from: number): number {
    let counted = 0;
    for (const s of this.series) if (s) counted += s.countSince(from);
    return counted;
  }

  /** True when the last exportMetrics() call returned fewer observations than its window holds. */
  get lastExportTruncated(): boolean {
    return this.lastOmitted > 0;
  }

  /** How many observations of its window the last exportMetrics() call could not return. */
  get lastExportOmitted(): number {
    return this.lastOmitted;
  }

  /**
   * Frees everything past retention and returns how many observations aged out since the
   * previous call. Expiry also happens on its own whenever the clock enters a new 10 s slot (on
   * any read, and on writes), so calling this is never required to bound memory.
   */
  clearOldMetrics(): number {
    this.tick();
    this.collectExpired();
    const n = this.expiredSinceClear;
    this.expiredSinceClear = 0;
    return n;
  }

  /** Observations expired over the aggregator's life. */
  get expiredCount(): number {
    this.collectExpired();
    return this.expiredEver;
  }

  /** Forgets every observation, reading, export entry and ledger entry (options are kept). */
  reset(): void {
    for (let i = 0; i < this.series.length; i++) this.series[i] = undefined;
    this.buffer.clear();
    this.resources.clear();
    this.ledger.clear();
    this.expiredSinceClear = 0;
    this.lastOmitted = 0;
  }

  /** Size figures for monitoring memory: sketch bins and live slots per type, buffered metrics, tracked executions. */
  getMemoryStats(): AggregatorMemoryStats {
    const sketchBins: Record<string, number> = {};
    const liveSlots: Record<string, number> = {};
    this.series.forEach((s, i) => {
      if (!s) return;
      sketchBins[METRIC_TYPES[i]] = s.binCount();
      liveSlots[METRIC_TYPES[i]] = s.liveSlots().reduce((a, b) => a + b, 0);
    });
    return { sketchBins, liveSlots, bufferedMetrics: this.buffer.length, trackedExecutions: this.ledger.size };
  }

  private takeMetric(m: PerformanceMetric): void {
    if (m === null || typeof m !== 'object') {
      reportDrop('aggregator-invalid-metric', `addMetric() needs a PerformanceMetric object, got ${m === null ? 'null' : typeof m}; it was dropped`);
      return;
    }
    const typeIndex = TYPE_INDEX.get(m.metricType);
    if (typeIndex === undefined) {
      reportDrop('aggregator-unknown-metric-type', `addMetric() with unknown metricType ${describeForLog(m.metricType)} was dropped`);
      return;
    }
    const value = m.value;
    if (!validDuration(value)) {
      reportDrop('aggregator-invalid-value', `addMetric() value must be a number from 0 to 1e12, got ${describeForLog(value)}; it was dropped`);
      return;
    }
    const t = m.timestamp;
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      reportDrop('aggregator-invalid-timestamp', `addMetric() timestamp must be finite epoch ms, got ${describeForLog(t)}; it was dropped`);
      return;
    }
    if (!this.admit(t)) return;
    const executionId = typeof m.executionId === 'string' && m.executionId !== '' ? m.executionId : undefined;
    if ((executionId !== undefined || this.trackAllIdentities) && this.ledger.isDuplicateObject(m, executionId !== undefined)) {
      addToCount('aggregator-duplicate-metric', 1);
      return;
    }
    if (executionId !== undefined && !this.ledger.noteExplicit(executionId, typeIndex)) {
      addToCount('aggregator-superseded-metric', 1);
      return;
    }
    const agentName = typeof m.agentName === 'string' ? m.agentName : undefined;
    const raw = m.metadata;
    // Bounded and redacted before it is kept: the caller's object may be huge, hold secrets at any
    // depth, or change after this call. Collectors' metric metadata is copied already.
    const metadata = raw !== null && typeof raw === 'object' ? (isSanitizedMetadata(raw) ? raw : metadataCopy(raw)) : undefined;
    this.record(typeIndex, value, t, executionId, agentName, metadata);
  }

  private takeBreakdown(b: TimingBreakdown): void {
    if (b === null || typeof b !== 'object') {
      reportDrop('aggregator-invalid-breakdown', `addTimingBreakdown() needs a TimingBreakdown, got ${b === null ? 'null' : typeof b}; it was dropped`);
      return;
    }
    const total = b.totalMs;
    if (!isDuration(total)) {
      reportDrop('aggregator-invalid-breakdown', `addTimingBreakdown() totalMs must be a finite number ≥ 0, got ${describeForLog(total)}; the breakdown was dropped`);
      return;
    }
    const executionId = typeof b.executionId === 'string' && b.executionId !== '' ? b.executionId : undefined;
    let explicit = 0;
    if (executionId !== undefined) {
      const e = this.ledger.explicitTypes(executionId);
      if (e === undefined) {
        addToCount('aggregator-duplicate-breakdown', 1);
        return;
      }
      explicit = e;
    }
    const startedAt = b.startedAt;
    let t: number;
    if (typeof startedAt === 'number' && Number.isFinite(startedAt) && startedAt > 0) {
      t = startedAt + total;
    } else {
      this.tick();
      t = this.clock.nowMs;
    }
    if (!this.admit(t)) return;
    const agentName = typeof b.agentName === 'string' ? b.agentName : undefined;
    let covered = 0;
    const count = breakdownObservations(b as unknown as Record<string, unknown>, total);
    const { typeIndex, value } = observed;
    for (let k = 0; k < count; k++) {
      if (explicit & (1 << typeIndex[k])) continue;
      this.record(typeIndex[k], value[k], t, executionId, agentName, BREAKDOWN_METADATA as Record<string, unknown>);
      covered |= 1 << typeIndex[k];
    }
    if (executionId !== undefined) this.ledger.noteBreakdown(executionId, covered, explicit);
  }

  private record(
    typeIndex: number,
    value: number,
    t: number,
    executionId: string | undefined,
    agentName: string | undefined,
    metadata: Record<string, unknown> | undefined,
  ): void {
    const v = value === 0 ? 0 : value; // -0 → 0
    const series = (this.series[typeIndex] ??= new MetricSeries(this.settings, this.futureFineSlots, this.opts.retentionSlots));
    series.add(v, t, this.clock);
    this.buffer.push(typeIndex, v, t, executionId, agentName, metadata);
    if (typeIndex === MEMORY) this.resources.record('memoryMb', v, t);
    else if (typeIndex === THREAD_POOL) this.resources.record('threadPoolPercent', v, t);
  }

  /**
   * True when timestamp t may be recorded. The clock is read only when t falls outside the span
   * already known to be admissible (from the current fine slot's start to the last reading plus
   * the skew): reading it costs more than the rest of addMetric on some hosts.
   */
  private admit(t: number): boolean {
    if (t >= this.fastLo && t <= this.fastHi) return true;
    this.tick();
    if (t > this.clock.nowMs + this.opts.maxFutureSkewMs) {
      reportDrop(
        'aggregator-future-timestamp',
        `a metric timestamped ${t - this.clock.nowMs} ms in the future (more than maxFutureSkewMs = ${this.opts.maxFutureSkewMs}) was dropped`,
      );
      return false;
    }
    if (t < this.clock.retentionStartMs) {
      reportDrop('aggregator-too-old', `a metric older than the retention (${this.opts.retentionSlots} h, hour-aligned) was dropped`);
      return false;
    }
    return true;
  }

  /** Reads the clock; when it entered a new fine slot, rotates every series (expiry included). */
  private tick(): void {
    let now: unknown;
    try {
      now = this.opts.now();
    } catch {
      now = undefined;
    }
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      reportDrop('aggregator-invalid-clock', 'the aggregator clock (option now) did not return finite epoch ms; using Date.now()');
      now = Date.now();
    }
    if (this.clock.advance(now as number)) {
      for (const s of this.series) if (s) s.rotate(this.clock);
      this.buffer.dropOlderThan(this.clock.retentionStartMs);
      this.collectExpired();
    }
    this.fastLo = this.clock.curStartMs;
    this.fastHi = this.clock.nowMs + this.opts.maxFutureSkewMs;
  }

  private collectExpired(): void {
    for (const s of this.series) {
      if (!s) continue;
      const n = s.takeExpired();
      this.expiredSinceClear += n;
      this.expiredEver += n;
    }
  }

  private seriesOf(type: unknown): MetricSeries | undefined {
    const i = metricTypeIndex(type);
    return i === undefined ? undefined : this.series[i];
  }

  /** Ticks and returns the start of `window` ending now. */
  private startOf(window: AggregationWindow): number {
    const windowMs = windowToMs(window);
    this.tick();
    return this.windowStartFor(windowMs);
  }

  private windowStartFor(windowMs: number): number {
    return windowStart(windowMs, this.clock.nowMs, this.clock.retentionStartMs);
  }
}

function errorText(err: unknown): string {
  return describeError(err);
}
