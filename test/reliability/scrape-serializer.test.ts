/**
 * Our Prometheus text serializer writes what @opentelemetry/exporter-prometheus's
 * PrometheusSerializer writes — byte for byte, on random metric data and on a real MeterProvider's
 * collection — with every option combination, through its label cache (a second serialization
 * with new values reuses cached labels and must show the new values), and in slices.
 */
import { ValueType, type Attributes } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { PrometheusTextSerializer, type PrometheusSerializerOptions } from '../../src/setup/prometheus-serializer';

const SEED = 20261202;

/** Names and label text with the characters the escaping rules care about. */
const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '_', '.', '-', ' ', '"', '\\', '\n', 'é', '€', '😀', '{', '}', '='), maxLength: 12 });
const metricName = fc.oneof(fc.constantFrom('agent_execution_duration_seconds', 'http.server.duration', 'requests_total', '9lives', '_', ''), text);
const attributeValue = fc.oneof(
  text,
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.array(text, { maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(fc.oneof(text, fc.constantFrom('le', 'otel.scope.name', 'service.name')), attributeValue, { maxKeys: 4 });
const number = fc.oneof(fc.integer({ min: -1000, max: 1e9 }), fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, 0, -0, 1e21, 1e-7));

const histogramPoint = fc
  .record({
    boundaries: fc.uniqueArray(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(Infinity)), { maxLength: 8 }),
    extra: fc.integer({ min: -1, max: 2 }),
    counts: fc.array(fc.nat(1000), { minLength: 12, maxLength: 12 }),
    sum: fc.option(number, { nil: undefined }),
    attributes,
  })
  .map(({ boundaries, extra, counts, sum, attributes }) => {
    const sorted = [...boundaries].sort((a, b) => a - b);
    const n = Math.max(0, sorted.length + 1 + extra);
    const c = counts.slice(0, n);
    while (c.length < n) c.push(0);
    const value: Histogram = { buckets: { boundaries: sorted, counts: c }, count: c.reduce((a, b) => a + b, 0), sum: sum as number };
    return { attributes, startTime: [0, 0], endTime: [1, 0], value } as DataPoint<Histogram>;
  });
const singularPoint = fc.record({ attributes, value: number }).map(({ attributes, value }) => ({ attributes, startTime: [0, 0], endTime: [1, 0], value }) as DataPoint<number>);

const descriptor = fc.record({
  name: metricName,
  description: fc.oneof(fc.constant(''), text),
  unit: fc.oneof(fc.constant(''), fc.constantFrom('s', 'ms', '{request}', 'By'), text),
});

const metric: fc.Arbitrary<MetricData> = fc.oneof(
  fc.record({ d: descriptor, points: fc.array(histogramPoint, { maxLength: 4 }) }).map(
    ({ d, points }) =>
      ({
        descriptor: { ...d, valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: points,
      }) as MetricData,
  ),
  fc.record({ d: descriptor, points: fc.array(singularPoint, { maxLength: 4 }), monotonic: fc.boolean() }).map(
    ({ d, points, monotonic }) =>
      ({
        descriptor: { ...d, valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: monotonic,
        dataPoints: points,
      }) as MetricData,
  ),
  fc.record({ d: descriptor, points: fc.array(singularPoint, { maxLength: 4 }) }).map(
    ({ d, points }) =>
      ({
        descriptor: { ...d, valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: points,
      }) as MetricData,
  ),
);

const scope = fc.record({
  name: fc.oneof(fc.constant('agent-timing'), text),
  version: fc.option(fc.oneof(fc.constant('0.1.0'), text), { nil: undefined }),
  schemaUrl: fc.option(fc.constant('https://opentelemetry.io/schemas/1.30.0'), { nil: undefined }),
});

const resourceMetrics: fc.Arbitrary<ResourceMetrics> = fc
  .record({
    resource: fc.dictionary(fc.oneof(text, fc.constantFrom('service.name', 'host.name', 'le')), attributeValue, { maxKeys: 4 }),
    scopes: fc.array(fc.record({ scope, metrics: fc.array(metric, { maxLength: 4 }) }), { maxLength: 3 }),
  })
  .map(({ resource, scopes }) => ({ resource: resourceFromAttributes(resource), scopeMetrics: scopes.map((s) => ({ scope: s.scope, metrics: s.metrics })) }));

const options = fc.record({
  withoutScopeInfo: fc.boolean(),
  withoutTargetInfo: fc.boolean(),
  withResourceConstantLabels: fc.option(fc.constantFrom(/service/, /.*/, /^le$/, /^$/), { nil: undefined }),
});

function reference(o: PrometheusSerializerOptions, data: ResourceMetrics): string {
  return new PrometheusSerializer(undefined, false, o.withResourceConstantLabels, o.withoutTargetInfo, o.withoutScopeInfo).serialize(data);
}

/** The same data with every value changed and every attribute object kept (what a later collection looks like). */
function withNewValues(data: ResourceMetrics): ResourceMetrics {
  const bump = (v: number) => (Number.isFinite(v) ? v * 3 + 1 : v);
  return {
    resource: data.resource,
    scopeMetrics: data.scopeMetrics.map((s) => ({
      scope: s.scope,
      metrics: s.metrics.map(
        (m) =>
          ({
            ...m,
            dataPoints: (m.dataPoints as DataPoint<unknown>[]).map((p) => {
              if (m.dataPointType !== DataPointType.HISTOGRAM) return { ...p, value: bump(p.value as number) };
              const h = p.value as Histogram;
              const counts = h.buckets.counts.map((c) => c + 2);
              return { ...p, value: { ...h, count: counts.reduce((a, b) => a + b, 0), sum: h.sum === undefined ? undefined : bump(h.sum), buckets: { boundaries: h.buckets.boundaries, counts } } };
            }),
          }) as MetricData,
      ),
    })),
  };
}

/** Serializes in the smallest slices next() allows, as the endpoint does under a tight budget. */
function inSlices(serializer: PrometheusTextSerializer, data: ResourceMetrics): { text: string; slices: number } {
  const task = serializer.start(data);
  const chunks: Buffer[] = [];
  for (let c = task.next(0); c !== undefined; c = task.next(0)) chunks.push(c);
  return { text: Buffer.concat(chunks).toString('utf8'), slices: chunks.length };
}

describe('PrometheusTextSerializer against the exporter’s PrometheusSerializer', () => {
  // The exporter logs names it cannot normalize through diag; so do we. Silence both here.
  it('writes the same text on random metric data, options and attribute sets', () => {
    fc.assert(
      fc.property(resourceMetrics, options, (data, o) => {
        const ours = new PrometheusTextSerializer(o);
        expect(ours.serialize(data)).toBe(reference(o, data));
        // Second time through the caches, with new values on the same attribute objects.
        const later = withNewValues(data);
        expect(ours.serialize(later)).toBe(reference(o, later));
        // In slices: the same text.
        expect(inSlices(ours, later).text).toBe(reference(o, later));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('follows a new resource (a new provider): its target_info and constant labels, not the cached ones', () => {
    const o = { withResourceConstantLabels: /service/ };
    const ours = new PrometheusTextSerializer(o);
    const attrs = { agent: 'a' };
    const point = { attributes: attrs, startTime: [0, 0], endTime: [1, 0], value: 3 } as DataPoint<number>;
    const metrics = [{ scope: { name: 's' }, metrics: [{ descriptor: { name: 'g', description: 'd', unit: '', valueType: ValueType.DOUBLE }, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: [point] } as MetricData] }];
    for (const service of ['one', 'two']) {
      const data = { resource: resourceFromAttributes({ 'service.name': service }), scopeMetrics: metrics };
      const out = ours.serialize(data);
      expect(out).toBe(reference(o, data));
      expect(out).toContain(`g{agent="a",otel_scope_name="s",service_name="${service}"} 3`);
    }
  });

  it('writes the same text for a real MeterProvider’s collection (counters, up-down counters, gauges, histograms)', async () => {
    class Reader extends MetricReader {
      protected onForceFlush = () => Promise.resolve();
      protected onShutdown = () => Promise.resolve();
    }
    const reader = new Reader();
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'svc', 'host.name': 'h' }), readers: [reader] });
    const meter = provider.getMeter('scope-a', '1.2.3');
    const other = provider.getMeter('scope-b', undefined, { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
    const counter = meter.createCounter('requests', { description: 'Requests "served"\nper route' });
    const updown = other.createUpDownCounter('queue.depth', { unit: '{item}' });
    const histogram = meter.createHistogram('latency', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 5] } });
    other.createObservableGauge('temperature').addCallback((r) => r.observe(21.5, { room: 'a\\b' }));
    for (let i = 0; i < 200; i++) {
      const attrs = { route: `/r/${i % 7}`, method: i % 2 ? 'GET' : 'POST', ok: i % 3 !== 0 };
      counter.add(i, attrs);
      updown.add(i % 5 === 0 ? -2 : 1, { shard: i % 4 });
      histogram.record((i % 13) / 4, attrs);
    }
    const ours = new PrometheusTextSerializer();
    for (let round = 0; round < 2; round++) {
      const { resourceMetrics } = await reader.collect();
      expect(ours.serialize(resourceMetrics)).toBe(reference({}, resourceMetrics));
      counter.add(5, { route: '/r/1', method: 'GET', ok: true });
      histogram.record(0.3, { route: '/r/new', method: 'GET', ok: true });
    }
    await provider.shutdown();
  });

  it('yields between slices: 2 200 histogram series come out in many slices under a tight budget', () => {
    const boundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    const dataPoints = Array.from({ length: 2200 }, (_, i) => ({
      attributes: Object.freeze({ agent: `agent_${i % 100}`, category: `c${i % 11}`, outcome: i % 2 ? 'success' : 'error' }),
      startTime: [0, 0],
      endTime: [1, 0],
      value: { buckets: { boundaries, counts: boundaries.map((_, k) => k).concat(1) }, count: 121, sum: 3.5 },
    })) as DataPoint<Histogram>[];
    const data: ResourceMetrics = {
      resource: resourceFromAttributes({ 'service.name': 'svc' }),
      scopeMetrics: [{ scope: { name: 'agent-timing', version: '0.1.0' }, metrics: [{ descriptor: { name: 'h', description: 'd', unit: 's', valueType: ValueType.DOUBLE }, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints }] }],
    };
    const ours = new PrometheusTextSerializer();
    const { text: sliced, slices } = inSlices(ours, data);
    expect(sliced).toBe(reference({}, data));
    // A clock read after every series and a budget already spent: one series per slice.
    expect(slices).toBeGreaterThanOrEqual(2200);
  });

  it('ends a slice after maxSeries series whatever the clock says, and counts them', () => {
    const boundaries = [0.005, 0.01, 0.025, 0.05, 0.1];
    const dataPoints = Array.from({ length: 1000 }, (_, i) => ({
      attributes: Object.freeze({ agent: `agent_${i}` }),
      startTime: [0, 0],
      endTime: [1, 0],
      value: { buckets: { boundaries, counts: [1, 0, 2, 0, 0, 1] }, count: 4, sum: 0.1 },
    })) as DataPoint<Histogram>[];
    const data: ResourceMetrics = {
      resource: resourceFromAttributes({ 'service.name': 'svc' }),
      scopeMetrics: [{ scope: { name: 's' }, metrics: [{ descriptor: { name: 'h', description: 'd', unit: 's', valueType: ValueType.DOUBLE }, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints }] }],
    };
    const task = new PrometheusTextSerializer().start(data);
    const perSlice: number[] = [];
    const chunks: Buffer[] = [];
    for (let c = task.next(Infinity, 64); c !== undefined; c = task.next(Infinity, 64)) {
      perSlice.push(task.lastSliceSeries);
      chunks.push(c);
    }
    expect(Math.max(...perSlice)).toBe(64);
    expect(perSlice.length).toBeGreaterThanOrEqual(Math.ceil(1000 / 64));
    expect(task.series).toBe(1000);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(reference({}, data));
  });
});
