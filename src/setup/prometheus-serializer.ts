// Over ~400 lines on purpose: one streaming serializer whose fast bucket path and `le`-collision path
// sit side by side (the fast one is the scrape's hot loop; see docs/metrics-endpoint.md).
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { componentLogger } from '../internal/diag';
import type { HistogramScrapeView, HistogramSeriesView } from '../metrics/histogram-producer';

const log = componentLogger('prometheus');

/** What the Prometheus text output leaves out. Both default to false: the output of @opentelemetry/exporter-prometheus. */
export interface PrometheusSerializerOptions {
  /** Drop the `otel_scope_name` / `otel_scope_version` / `otel_scope_schema_url` labels of every series (~29 % of the bytes). */
  withoutScopeInfo?: boolean;
  /** Drop the `target_info` series (the resource attributes). */
  withoutTargetInfo?: boolean;
  /** Resource attributes whose key matches become labels of every series (as the exporter's `withResourceConstantLabels`). */
  withResourceConstantLabels?: RegExp;
}

/** A slice ends after about this many bytes even within its time budget, so one chunk stays small on a socket. */
const CHUNK_BYTES = 256 * 1024;
/** Bound on the per-metric caches (one per scope × metric name; far more than any real meter has). */
const MAX_METRIC_CACHES = 4096;

// --- the exporter's text rules, reimplemented so a series' label string is built once ---------------

function escapeString(str: string): string {
  return str.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A label value: strings as they are, anything else as JSON, escaped (as the exporter does). */
function escapeLabelValue(value: AttributeValue | undefined): string {
  let str: string | undefined;
  if (value === undefined) str = '';
  else if (typeof value === 'string') str = value;
  else {
    try {
      str = JSON.stringify(value) as string | undefined;
    } catch {
      str = undefined;
    }
    // The exporter throws on a value JSON cannot encode (a BigInt smuggled in): we write it empty.
    if (str === undefined) str = '';
  }
  return escapeString(str).replace(/"/g, '\\"');
}

function sanitizeName(name: string): string {
  return name.replace(/[^a-z0-9_]/gi, '_').replace(/_{2,}/g, '_');
}

/** `k1="v1",k2="v2"` for the entries of `attributes` (no braces), as the exporter orders them. */
function labelList(attributes: Attributes | undefined): string {
  let out = '';
  if (!attributes) return out;
  for (const key of Object.keys(attributes)) {
    out += `${out.length > 0 ? ',' : ''}${sanitizeName(key)}="${escapeLabelValue(attributes[key])}"`;
  }
  return out;
}

function valueString(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return `${value}`;
}

function joinLabels(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a},${b}`;
}

function prometheusType(metric: MetricData): string {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return 'untyped';
  }
}

const encoder = new TextEncoder();
/** Cached pieces are plain Uint8Arrays: TypedArray.set() copies from them ~2× faster than from a Buffer (a subclass). */
const utf8 = (text: string): Uint8Array => encoder.encode(text);

/**
 * Appends bytes to fixed-size Buffers. The text is written as bytes from the start: building one
 * string by concatenation and encoding it afterwards cost 5–10× the concatenation itself at
 * 2 200 series (V8 flattens a rope of ~150 k pieces before it can encode it).
 */
class ByteWriter {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Where the bytes not yet taken start. */
  private start = 0;
  private offset = 0;

  /** Bytes written since the last take(). */
  get length(): number {
    return this.offset - this.start;
  }

  /** Bytes that still fit in the current Buffer. */
  get free(): number {
    return this.buf.length - this.offset;
  }

  bytes(b: Uint8Array): void {
    if (this.offset + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }

  /** A string known to be ASCII (numbers as valueString writes them). */
  ascii(s: string): void {
    const n = s.length;
    if (this.offset + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let o = this.offset;
    for (let i = 0; i < n; i++) buf[o++] = s.charCodeAt(i);
    this.offset = o;
  }

  /** A value as valueString() writes it; whole non-negative numbers digit by digit (no string made). */
  value(v: number): void {
    if (!(v >= 0 && v < 1e15 && Math.floor(v) === v)) {
      this.ascii(valueString(v));
      return;
    }
    if (this.offset + 16 > this.buf.length) this.grow(16);
    const buf = this.buf;
    if (v < 10) {
      buf[this.offset++] = 48 + v;
      return;
    }
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    let o = this.offset + digits;
    this.offset = o;
    do {
      const q = Math.floor(v / 10);
      buf[--o] = 48 + (v - q * 10);
      v = q;
    } while (v > 0);
  }

  byte(b: number): void {
    if (this.offset === this.buf.length) this.grow(1);
    this.buf[this.offset++] = b;
  }

  /**
   * The bytes written since the last take(), as one Buffer (a view: later writes go after it, or
   * into a new Buffer when fewer than `reserve` bytes are left, so the next ones need no copy).
   */
  take(reserve = 0): Buffer {
    const out = this.buf.subarray(this.start, this.offset);
    this.start = this.offset;
    if (this.free < reserve) {
      this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 2 * reserve));
      this.start = this.offset = 0;
    }
    return out;
  }

  /** Continues in a new Buffer (taken bytes stay where they are, in the views handed out). */
  private grow(needed: number): void {
    const pending = this.offset - this.start;
    const bigger = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 2 * (pending + needed)));
    this.buf.copy(bigger, 0, this.start, this.offset);
    this.buf = bigger;
    this.start = 0;
    this.offset = pending;
  }
}

const NEWLINE = 0x0a;

/** The bytes every data point of one histogram series starts its lines with. */
interface HistogramSeriesText {
  /** `name_count{labels} ` */
  readonly count: Uint8Array;
  /** `name_sum{labels} ` */
  readonly sum: Uint8Array;
  /** `name_bucket{labels,le="` (fast path: no `le` among the scope/resource labels). */
  readonly bucket: Uint8Array;
}

/**
 * What one metric (scope × name) caches: the labels its series share, and per attribute set (by
 * identity) the start of each of its lines. Attribute sets are treated as immutable once recorded,
 * as the SDK does (it keys a series by the content it had when first recorded); ours are frozen.
 * A WeakMap: a series whose attribute set is no longer referenced by the SDK leaves the cache with it.
 */
interface MetricCache {
  /** Labels after the series' own: scope info then resource constant labels (no braces). */
  readonly extra: string;
  /** The extra labels as an object, for the rare slow path (they contain `le`). */
  readonly extraAttributes: Attributes;
  readonly leInExtra: boolean;
  readonly singular: WeakMap<Attributes, Uint8Array>;
  readonly histogram: WeakMap<Attributes, HistogramSeriesText>;
  /** `<bound>"} ` per bucket of the last boundaries seen (data points of one metric share them). */
  boundaries: readonly number[] | undefined;
  le: Uint8Array[];
}

/**
 * Prometheus text exposition of collected metrics, with the same content as
 * @opentelemetry/exporter-prometheus's PrometheusSerializer (test/reliability/scrape-serializer.test.ts
 * compares them on random metric data), built for a scrape that must not stall the agent:
 *
 * - Each series' label string is built once and cached per attribute set (by identity), so a
 *   scrape is string concatenation. Measured at 2 200 series / 47 k lines (9.4 MB, bench/scrape.bench.ts):
 *   the exporter's serializer took 420–540 ms (it enumerates and escapes every label and copies the
 *   extra labels into a new object for every bucket line), prom-client 446–530 ms; the exporter
 *   has no cache to turn on, hence this file. This one: see docs/metrics-endpoint.md.
 * - The work can be done in slices (`start(...).next(deadline)`), so the endpoint yields to the
 *   event loop between them.
 */
export class PrometheusTextSerializer {
  private readonly withoutScopeInfo: boolean;
  private readonly withoutTargetInfo: boolean;
  private readonly constantLabels: RegExp | undefined;
  private readonly metricCaches = new Map<string, MetricCache>();
  private readonly metricNames = new Map<string, string>();
  private resource: Resource | undefined;
  private resourceText: Uint8Array = new Uint8Array(0);
  private resourceExtra: Attributes | undefined;

  constructor(options: PrometheusSerializerOptions = {}) {
    this.withoutScopeInfo = options.withoutScopeInfo === true;
    this.withoutTargetInfo = options.withoutTargetInfo === true;
    this.constantLabels = options.withResourceConstantLabels;
  }

  /** The whole text at once (`histograms` as in start()). */
  serialize(resourceMetrics: ResourceMetrics, histograms?: ScrapeHistograms): string {
    const task = this.start(resourceMetrics, histograms);
    const chunks: Buffer[] = [];
    for (let chunk = task.next(Infinity); chunk !== undefined; chunk = task.next(Infinity)) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * A serialization to run in slices: call `next(deadline)` until it returns undefined. `histograms`
   * (ExecutionHistogramProducer.scrapeView()) are written after the collected scopes, as a reader
   * that had the producer among its metricProducers would list them, without DataPoints.
   */
  start(resourceMetrics: ResourceMetrics, histograms?: ScrapeHistograms): SerializationTask {
    this.useResource(resourceMetrics.resource);
    const entries: MetricEntry[] = [];
    for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) entries.push({ scope: scope.scope, metric, view: undefined });
    if (histograms) {
      for (const view of histograms.histograms) entries.push({ scope: histograms.scope, metric: viewMetric(view), view });
    }
    return new SerializationTask(this, entries, this.withoutTargetInfo ? undefined : this.resourceText);
  }

  private useResource(resource: Resource): void {
    if (resource === this.resource) return;
    // A new resource (a new provider): every cached label string may hold its constant labels.
    this.resource = resource;
    this.metricCaches.clear();
    this.resourceText = utf8(`# HELP target_info Target metadata\n# TYPE target_info gauge\n${lineStart('target_info', labelList(resource.attributes))}1\n`);
    if (this.constantLabels) {
      const pattern = this.constantLabels;
      const extra: Attributes = {};
      for (const key of Object.keys(resource.attributes)) if (key.match(pattern)) extra[key] = resource.attributes[key];
      this.resourceExtra = extra;
    } else this.resourceExtra = undefined;
  }

  /** The Prometheus name of a metric, or '' when it cannot have one (logged, as the exporter does). */
  metricName(metric: MetricData): string {
    const raw = metric.descriptor.name;
    let name = this.metricNames.get(raw);
    if (name === undefined) {
      name = sanitizeName(escapeString(raw));
      if (name === '' || name === '_') {
        log.error(`Normalization for metric "${raw}" resulted in ${name === '' ? 'empty name' : 'an invalid name: "_"'}`);
        name = '';
      } else if (name[0] >= '0' && name[0] <= '9') name = `_${name}`;
      if (this.metricNames.size >= MAX_METRIC_CACHES) this.metricNames.clear();
      this.metricNames.set(raw, name);
    }
    if (name !== '' && metric.dataPointType === DataPointType.SUM && metric.isMonotonic && !name.endsWith('_total')) return `${name}_total`;
    return name;
  }

  /** The header lines (HELP, UNIT, TYPE) of a metric. */
  header(name: string, metric: MetricData): Uint8Array {
    const { description, unit } = metric.descriptor;
    return utf8(
      `# HELP ${name} ${escapeString(description || 'description missing')}\n` +
      (unit ? `# UNIT ${name} ${escapeString(unit)}\n` : '') +
      `# TYPE ${name} ${prometheusType(metric)}\n`
    );
  }

  cacheFor(scope: ScopeMetrics['scope'], name: string): MetricCache {
    const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}\u0000${name}`;
    let cache = this.metricCaches.get(key);
    if (cache === undefined) {
      let extraAttributes: Attributes = {};
      if (!this.withoutScopeInfo) {
        extraAttributes['otel.scope.name'] = scope.name;
        if (scope.schemaUrl) extraAttributes['otel.scope.schema_url'] = scope.schemaUrl;
        if (scope.version) extraAttributes['otel.scope.version'] = scope.version;
      }
      if (this.resourceExtra) extraAttributes = Object.assign(extraAttributes, this.resourceExtra);
      cache = {
        extra: labelList(extraAttributes),
        extraAttributes,
        leInExtra: Object.prototype.hasOwnProperty.call(extraAttributes, 'le'),
        singular: new WeakMap(),
        histogram: new WeakMap(),
        boundaries: undefined,
        le: [],
      };
      if (this.metricCaches.size >= MAX_METRIC_CACHES) this.metricCaches.clear();
      this.metricCaches.set(key, cache);
    }
    return cache;
  }
}

/** `name{labels} ` or `name ` */
function lineStart(name: string, labels: string): string {
  return labels === '' ? `${name} ` : `${name}{${labels}} `;
}

function singularText(cache: MetricCache, name: string, attributes: Attributes): Uint8Array {
  let text = cache.singular.get(attributes);
  if (text === undefined) {
    text = utf8(lineStart(name, joinLabels(labelList(attributes), cache.extra)));
    cache.singular.set(attributes, text);
  }
  return text;
}

function histogramText(cache: MetricCache, name: string, attributes: Attributes): HistogramSeriesText {
  let text = cache.histogram.get(attributes);
  if (text === undefined) {
    const labels = joinLabels(labelList(attributes), cache.extra);
    text = {
      count: utf8(lineStart(`${name}_count`, labels)),
      sum: utf8(lineStart(`${name}_sum`, labels)),
      bucket: utf8(`${name}_bucket{${labels === '' ? '' : `${labels},`}le="`),
    };
    cache.histogram.set(attributes, text);
  }
  return text;
}

/** The `le` label's value for bucket `i` (undefined: past the last bucket that should be written). */
function leValue(boundaries: readonly number[], i: number): string {
  const upper = boundaries[i];
  return upper === undefined || upper === Infinity ? '+Inf' : String(upper);
}

/** `…"} ` (the `le` value and what follows it) per bucket for these boundaries, reused while the next data point has the same ones. */
function leStrings(cache: MetricCache, boundaries: readonly number[]): Uint8Array[] {
  const last = cache.boundaries;
  let same = last !== undefined && last.length === boundaries.length;
  if (same && last !== boundaries) for (let i = 0; i < boundaries.length && same; i++) same = last![i] === boundaries[i];
  if (!same) {
    const le: Uint8Array[] = [];
    for (let i = 0; i <= boundaries.length; i++) le.push(utf8(`${leValue(boundaries, i)}"} `));
    cache.le = le;
  }
  cache.boundaries = boundaries;
  return cache.le;
}

const INF_BUCKET = utf8('+Inf"} ');

/** Histograms as ExecutionHistogramProducer.scrapeView() hands them over (no DataPoints). */
export interface ScrapeHistograms {
  readonly scope: ScopeMetrics['scope'];
  readonly histograms: readonly HistogramScrapeView[];
}

/** One metric to write: collected (its data points), or a producer's histogram snapshot (`view`). */
interface MetricEntry {
  readonly scope: ScopeMetrics['scope'];
  readonly metric: MetricData;
  readonly view: HistogramScrapeView | undefined;
}

/** What names and headers need of a view (no data points: the series are read from the view). */
function viewMetric(view: HistogramScrapeView): MetricData {
  return { descriptor: view.descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints: [] };
}
const NO_METRICS = utf8('# no registered metrics');

/** One serialization in progress: where it is in the collected metrics. */
export class SerializationTask {
  private entryIndex = -1;
  private pointIndex = 0;
  /** Data points (or series) of the current metric. */
  private points = 0;
  private entry: MetricEntry | undefined;
  private name = '';
  private cache: MetricCache | undefined;
  private wroteMetric = false;
  private finished = false;
  private readonly out = new ByteWriter();
  /** Series (data points) written by the last next() call. */
  lastSliceSeries = 0;
  /** Series (data points) written so far. */
  series = 0;
  /** The most bytes one series took so far: a slice ends when the next might not fit its Buffer. */
  private seriesBytes = 0;

  constructor(
    private readonly serializer: PrometheusTextSerializer,
    private readonly entries: readonly MetricEntry[],
    prologue: Uint8Array | undefined,
  ) {
    if (prologue) this.out.bytes(prologue);
  }

  /**
   * The bytes from where the last call stopped until `deadline` (performance.now() time) has
   * passed, ~256 KB were written or `maxSeries` series (data points) were written — at least one
   * series; undefined once everything was returned. The clock is read after every series (one
   * series of 85 buckets is ~90 lines, so the read costs nothing beside it).
   */
  next(deadline: number, maxSeries = Infinity): Buffer | undefined {
    this.lastSliceSeries = 0;
    if (this.finished) return undefined;
    const out = this.out;
    let written = 0;
    for (;;) {
      const entry = this.entry;
      if (entry === undefined || this.pointIndex >= this.points) {
        if (!this.advanceMetric()) {
          this.finished = true;
          if (!this.wroteMetric) out.bytes(NO_METRICS);
          return out.take();
        }
        out.bytes(this.serializer.header(this.name, this.entry!.metric));
        this.wroteMetric = true;
        continue;
      }
      const i = this.pointIndex++;
      const before = out.length;
      if (entry.view) this.seriesInPlace(entry.view.boundaries, entry.view.series[i]);
      else this.point(entry.metric, entry.metric.dataPoints[i]);
      const bytes = out.length - before;
      if (bytes > this.seriesBytes) this.seriesBytes = bytes;
      this.lastSliceSeries = ++written;
      this.series++;
      // Ending the slice before its Buffer overflows saves a copy of the slice into a bigger one
      // (measured: that copy was ~1 MB of memcpy per MB of a dense-bucket scrape).
      if (written >= maxSeries || out.length >= CHUNK_BYTES || out.free < this.seriesBytes || performance.now() >= deadline) {
        return out.take(this.seriesBytes);
      }
    }
  }

  /** Moves to the next metric with a valid name; false when none is left. */
  private advanceMetric(): boolean {
    for (;;) {
      const entry = this.entries[++this.entryIndex];
      if (entry === undefined) return false;
      const { metric } = entry;
      const name = this.serializer.metricName(metric);
      if (name === '') continue;
      this.entry = entry;
      this.name = name;
      this.pointIndex = 0;
      this.points = entry.view ? entry.view.series.length : metric.dataPoints.length;
      this.cache = this.serializer.cacheFor(entry.scope, name);
      if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
        log.error(`Unrecognizable DataPointType: ${metric.dataPointType} for metric "${name}"`);
        this.pointIndex = this.points; // header only, as the exporter writes it
      }
      return true;
    }
  }

  /** A producer's series (see HistogramSeriesView). */
  private seriesInPlace(boundaries: readonly number[], series: HistogramSeriesView): void {
    const cache = this.cache!;
    const out = this.out;
    const text = histogramText(cache, this.name, series.attributes);
    out.bytes(text.count);
    out.value(series.count);
    out.byte(NEWLINE);
    out.bytes(text.sum);
    out.value(series.sum);
    out.byte(NEWLINE);
    if (cache.leInExtra) out.bytes(utf8(this.slowBuckets(series.attributes, boundaries, series.counts)));
    else this.buckets(text, leStrings(cache, boundaries), boundaries, series.counts);
  }

  private point(metric: MetricData, point: DataPoint<unknown>): void {
    const cache = this.cache!;
    const out = this.out;
    if (metric.dataPointType !== DataPointType.HISTOGRAM) {
      out.bytes(singularText(cache, this.name, point.attributes));
      out.value(point.value as number);
      out.byte(NEWLINE);
      return;
    }
    const histogram = point.value as Histogram;
    const text = histogramText(cache, this.name, point.attributes);
    if (histogram.count != null) {
      out.bytes(text.count);
      out.value(histogram.count);
      out.byte(NEWLINE);
    }
    if (histogram.sum != null) {
      out.bytes(text.sum);
      out.value(histogram.sum);
      out.byte(NEWLINE);
    }
    const { boundaries, counts } = histogram.buckets;
    if (cache.leInExtra) {
      out.bytes(utf8(this.slowBuckets(point.attributes, boundaries, counts)));
      return;
    }
    this.buckets(text, leStrings(cache, boundaries), boundaries, counts);
  }

  /** The bucket lines of one series (the hot loop: ~190 k lines at 2 208 series × 85 buckets). */
  private buckets(text: HistogramSeriesText, le: readonly Uint8Array[], boundaries: readonly number[], counts: ArrayLike<number>): void {
    const out = this.out;
    // As the exporter: one line per count; a count past the boundaries is +Inf, unless a boundary
    // already was Infinity (then the extra count is not written).
    let cumulative = 0;
    let infinityDefined = false;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      const upper = boundaries[i];
      if (upper === undefined && infinityDefined) break;
      if (upper === Infinity) infinityDefined = true;
      out.bytes(text.bucket);
      out.bytes(i < le.length ? le[i] : INF_BUCKET);
      out.value(cumulative);
      out.byte(NEWLINE);
    }
  }

  /** Bucket lines when a scope/resource label is itself called `le` (it then takes the bucket bound, in its place). */
  private slowBuckets(attributes: Attributes, boundaries: readonly number[], counts: ArrayLike<number>): string {
    const own = labelList(attributes);
    let out = '';
    let cumulative = 0;
    let infinityDefined = false;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      const upper = boundaries[i];
      if (upper === undefined && infinityDefined) break;
      if (upper === Infinity) infinityDefined = true;
      const extra = labelList({ ...this.cache!.extraAttributes, le: leValue(boundaries, i) });
      out += `${lineStart(`${this.name}_bucket`, joinLabels(own, extra))}${valueString(cumulative)}\n`;
    }
    return out;
  }
}
