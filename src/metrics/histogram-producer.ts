import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type HistogramMetricData,
  type MetricDescriptor,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { ExecutionState } from '../api/execution-state';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';
import { histogramSpecs, type BucketPlan } from './buckets';
import type { Outcome } from './label-limiter';
import { recordBreakdown, type ExecutionHistograms } from './record-breakdown';
import { HISTOGRAM_DESCRIPTIONS, SCOPE_NAME } from '../spans/names';
import { VERSION } from '../version';

/** The attributes of the series that takes observations past the cardinality limit (as the SDK names it). */
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/** One series as a scrape reads it: its values when the scrape started (no DataPoint, no boxed arrays). */
export interface HistogramSeriesView {
  readonly attributes: Attributes;
  /** Per bucket (the last is past the last boundary), not cumulative. */
  readonly counts: Float64Array;
  readonly count: number;
  readonly sum: number;
}

/** One histogram of the producer as a scrape reads it: its series when the scrape started. */
export interface HistogramScrapeView {
  readonly descriptor: MetricDescriptor;
  /** Shared by every series of the histogram (frozen; never copied per series). */
  readonly boundaries: readonly number[];
  readonly series: readonly HistogramSeriesView[];
}

/** One series: an attribute set and its explicit-bucket counts since it was first recorded. */
class Series implements HistogramSeriesView {
  readonly counts: Float64Array;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly startTime: HrTime = hrTime();

  constructor(
    readonly attributes: Attributes,
    buckets: number,
  ) {
    this.counts = new Float64Array(buckets + 1);
  }

  /** Counts a value in the first bucket whose (inclusive) upper boundary is ≥ it, like the SDK. */
  record(value: number, boundaries: readonly number[]): void {
    let lo = 0;
    let hi = boundaries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (boundaries[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    this.counts[lo]++;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** `boundaries` is the histogram's shared frozen array: the OTel readers we know only read it. */
  toDataPoint(boundaries: readonly number[], endTime: HrTime): DataPoint<Histogram> {
    return {
      attributes: this.attributes,
      startTime: this.startTime,
      endTime,
      value: {
        buckets: { boundaries: boundaries as number[], counts: Array.from(this.counts) },
        count: this.count,
        sum: this.sum,
        min: this.min,
        max: this.max,
      },
    };
  }
}

function snapshot(s: Series): HistogramSeriesView {
  return { attributes: s.attributes, counts: s.counts.slice(), count: s.count, sum: s.sum };
}

/** One cumulative explicit-bucket histogram, its series capped like an SDK view's cardinality limit. */
class PreAggregatedHistogram {
  private readonly byIdentity = new Map<Attributes, Series>();
  private readonly byContent = new Map<string, Series>();
  private overflow: Series | undefined;

  private readonly boundaries: readonly number[];

  constructor(
    readonly descriptor: MetricDescriptor,
    boundaries: readonly number[],
    private readonly cardinalityLimit: number,
  ) {
    this.boundaries = Object.freeze([...boundaries]);
  }

  record(value: number, attributes: Attributes): void {
    (this.byIdentity.get(attributes) ?? this.seriesFor(attributes)).record(value, this.boundaries);
  }

  toMetricData(endTime: HrTime): HistogramMetricData | undefined {
    const points: DataPoint<Histogram>[] = [];
    for (const s of this.byContent.values()) points.push(s.toDataPoint(this.boundaries, endTime));
    if (this.overflow) points.push(this.overflow.toDataPoint(this.boundaries, endTime));
    if (points.length === 0) return undefined;
    return {
      descriptor: this.descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: points,
    };
  }

  /** The series as they are now, in collection order: counts copied as one Float64Array each. */
  scrapeView(): HistogramScrapeView | undefined {
    const series: HistogramSeriesView[] = [];
    for (const s of this.byContent.values()) series.push(snapshot(s));
    if (this.overflow) series.push(snapshot(this.overflow));
    return series.length === 0 ? undefined : { descriptor: this.descriptor, boundaries: this.boundaries, series };
  }

  /** First sight of an attributes object: label sets are cached objects, so this runs once per set
   *  (or again for an equal set built after the label cache was reset, which finds the same series). */
  private seriesFor(attributes: Attributes): Series {
    const key = JSON.stringify(Object.keys(attributes).sort().map((k) => [k, attributes[k]]));
    let s = this.byContent.get(key);
    if (s === undefined) {
      // The SDK keeps one slot of its limit for the overflow series; so do we.
      // Series are cumulative and never dropped, so a set that overflows once always overflows.
      if (this.byContent.size >= this.cardinalityLimit - 1) s = this.overflow ??= new Series(OVERFLOW_ATTRIBUTES, this.boundaries.length);
      else {
        s = new Series(attributes, this.boundaries.length);
        this.byContent.set(key, s);
      }
    }
    this.byIdentity.set(attributes, s);
    return s;
  }
}

const SCOPE = Object.freeze({ name: SCOPE_NAME, version: VERSION });

function descriptor(name: string): MetricDescriptor {
  return { name, description: HISTOGRAM_DESCRIPTIONS[name], unit: 's', valueType: ValueType.DOUBLE };
}

/**
 * agent-timing's histograms, pre-aggregated in process and handed to metric readers at
 * collection time (a MetricProducer). startAgentTelemetry uses it for the MeterProvider it owns:
 * recording a completed execution then costs a few array increments per observation instead of an
 * SDK record each (which hashes its attribute set as JSON, ~2 µs here). The series, names, units,
 * buckets and labels are exactly those of the SDK instruments used when the application brings
 * its own MeterProvider (with agentTimingViews()).
 */
export class ExecutionHistogramProducer implements MetricProducer {
  private readonly histograms: Record<keyof ExecutionHistograms, PreAggregatedHistogram>;
  private readonly all: PreAggregatedHistogram[];

  constructor(plan: BucketPlan, cardinalityLimit = 2000) {
    const specs = histogramSpecs(plan);
    const made = {} as Record<keyof ExecutionHistograms, PreAggregatedHistogram>;
    for (const key of Object.keys(specs) as Array<keyof ExecutionHistograms>) {
      made[key] = new PreAggregatedHistogram(descriptor(specs[key].name), specs[key].boundaries, cardinalityLimit);
    }
    this.histograms = made;
    this.all = Object.values(made);
  }

  /** Records a completed execution, as SDK instruments would (see recordBreakdown). */
  recordExecution(b: TimingBreakdown, outcome: Outcome, state?: ExecutionState): void {
    recordBreakdown(b, outcome, this.histograms, state);
  }

  /**
   * The scope and histograms for a Prometheus scrape (the /metrics endpoint's path, which then
   * writes them a slice at a time): a snapshot of every series, so one scrape stays consistent
   * across series (an execution completing mid-scrape shows in all of its series or none), taken
   * as one Float64Array copy per series, with the histogram's shared frozen boundaries — no
   * DataPoint, no boxed count or boundary arrays. Measured at 2 208 series × 85 buckets: collect()
   * took 5–9 ms warm (46 ms on the first scrape) in one block and allocated 3–8 MB of heap per
   * scrape; this takes ~1 ms and 1.6 MB.
   */
  scrapeView(): { scope: { name: string; version: string }; histograms: HistogramScrapeView[] } {
    const histograms: HistogramScrapeView[] = [];
    for (const h of this.all) {
      const view = h.scrapeView();
      if (view) histograms.push(view);
    }
    return { scope: SCOPE, histograms };
  }

  collect(): Promise<CollectionResult> {
    const end = hrTime();
    const metrics: HistogramMetricData[] = [];
    for (const h of this.all) {
      const data = h.toMetricData(end);
      if (data) metrics.push(data);
    }
    return Promise.resolve({
      // MetricReader keeps the SDK's resource and takes only the scope metrics from producers.
      resourceMetrics: { resource: emptyResource(), scopeMetrics: metrics.length ? [{ scope: SCOPE, metrics }] : [] },
      errors: [],
    });
  }
}
