import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType, MeterProvider, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { bucketPlan } from '../../src/metrics/buckets';
import { ExecutionHistogramProducer } from '../../src/metrics/histogram-producer';
import { recordExecutionMetrics } from '../../src/metrics/instruments';
import { METRIC_EXECUTION_DURATION, METRIC_PHASE_DURATION, METRIC_TTFT, SCOPE_NAME } from '../../src/spans/names';
import { PrometheusTextSerializer } from '../../src/setup/prometheus-serializer';
import { VERSION } from '../../src/version';
import { agentTimingViews } from '../../src/metrics/views';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD } from '../../src/breakdown/categories';
import { TimingBreakdown } from '../../src/breakdown/timing-breakdown';

type Outcome = 'success' | 'error';

/** A completed breakdown with the given category milliseconds (total = their sum). */
function breakdown(agentName: string, ms: number[], ttftMs?: number): TimingBreakdown {
  const b = new TimingBreakdown();
  b.agentName = agentName;
  BREAKDOWN_CATEGORIES.forEach((c, i) => (b[CATEGORY_FIELD[c]] = ms[i] ?? 0));
  b.totalMs = ms.reduce((a, v) => a + v, 0);
  if (ttftMs !== undefined) b.ttftMs = ttftMs;
  b.completed = true;
  return b;
}

/** Prometheus text of our three histograms, series sorted (the two paths may list series in a different order). */
function histogramLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^agent_(execution|phase|time_to_first)/.test(l) || /^# (HELP|TYPE) agent_(execution|phase|time_to_first)/.test(l))
    .sort();
}

async function viaSdkInstruments(items: [TimingBreakdown, Outcome][], slo: Record<string, number>): Promise<string> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter], views: agentTimingViews({ sloThresholdsMs: slo }) });
  const meter = provider.getMeter(SCOPE_NAME, VERSION); // as instrumentsFor() gets the global one
  for (const [b, outcome] of items) recordExecutionMetrics(b, outcome, meter);
  const { resourceMetrics } = await exporter.collect();
  await provider.shutdown();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

/** Our serializer over the producer's collect() and over its scrapeView() (the /metrics endpoint's path). */
async function bothProducerPaths(items: [TimingBreakdown, Outcome][], slo: Record<string, number>): Promise<{ collected: string; inPlace: string }> {
  const producer = new ExecutionHistogramProducer(bucketPlan(slo));
  const exporter = new PrometheusExporter({ preventServerStart: true, metricProducers: [producer] });
  const provider = new MeterProvider({ readers: [exporter] });
  for (const [b, outcome] of items) producer.recordExecution(b, outcome);
  const { resourceMetrics } = await exporter.collect();
  const serializer = new PrometheusTextSerializer();
  const collected = serializer.serialize(resourceMetrics);
  const inPlace = serializer.serialize({ resource: resourceMetrics.resource, scopeMetrics: [] }, producer.scrapeView());
  await provider.shutdown();
  return { collected, inPlace };
}

async function viaProducer(items: [TimingBreakdown, Outcome][], slo: Record<string, number>): Promise<string> {
  const producer = new ExecutionHistogramProducer(bucketPlan(slo));
  const exporter = new PrometheusExporter({ preventServerStart: true, metricProducers: [producer] });
  const provider = new MeterProvider({ readers: [exporter] });
  for (const [b, outcome] of items) producer.recordExecution(b, outcome);
  const { resourceMetrics } = await exporter.collect();
  await provider.shutdown();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

describe('ExecutionHistogramProducer', () => {
  it('serves exactly the series SDK instruments with agentTimingViews() serve (property)', async () => {
    const slo = { total_execution: 2500, time_to_first_token: 800 };
    const plan = bucketPlan(slo);
    // Values on bucket boundaries too: the bucket a boundary value lands in must match.
    const edges = [...plan.execution, ...plan.phase, ...plan.ttft].map((s) => s * 1000);
    const ms = fc.oneof(fc.constantFrom(0, ...edges), fc.double({ min: 0, max: 200_000, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            agent: fc.constantFrom('planner', 'coder', 'reviewer'),
            outcome: fc.constantFrom<Outcome>('success', 'error'),
            ms: fc.array(ms, { minLength: BREAKDOWN_CATEGORIES.length, maxLength: BREAKDOWN_CATEGORIES.length }),
            ttft: fc.option(ms, { nil: undefined }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (specs) => {
          const items = specs.map((s) => [breakdown(s.agent, s.ms, s.ttft), s.outcome] as [TimingBreakdown, Outcome]);
          expect(histogramLines(await viaProducer(items, slo))).toEqual(histogramLines(await viaSdkInstruments(items, slo)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('serves nothing before the first execution, then cumulative counts, sum, min and max', async () => {
    const producer = new ExecutionHistogramProducer(bucketPlan());
    expect((await producer.collect()).resourceMetrics.scopeMetrics).toEqual([]);
    producer.recordExecution(breakdown('a', [100, 0, 300]), 'success');
    producer.recordExecution(breakdown('a', [50, 0, 0], 40), 'success');
    const [scope] = (await producer.collect()).resourceMetrics.scopeMetrics;
    expect(scope.scope.name).toBe('agent-timing');
    const byName = new Map(scope.metrics.map((m) => [m.descriptor.name, m as HistogramMetricData]));
    // Without the execution's intervals (no collector): no operations, but the GenAI agent histogram.
    expect([...byName.keys()].sort()).toEqual([METRIC_EXECUTION_DURATION, METRIC_PHASE_DURATION, METRIC_TTFT, 'gen_ai.invoke_agent.duration'].sort());
    const execution = byName.get(METRIC_EXECUTION_DURATION)!;
    expect(execution.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(execution.descriptor.unit).toBe('s');
    const point = execution.dataPoints[0];
    expect(point.value).toMatchObject({ count: 2, sum: 0.45, min: 0.05, max: 0.4 });
    expect(point.value.buckets.counts.reduce((a, v) => a + v, 0)).toBe(2);
    // Zero categories are not observations; initialization twice, llm once.
    const phase = byName.get(METRIC_PHASE_DURATION)!;
    const counts = Object.fromEntries(phase.dataPoints.map((p) => [String(p.attributes['agent_timing.category']), p.value.count]));
    expect(counts).toEqual({ initialization: 2, llm_processing: 1 });
    expect(byName.get(METRIC_TTFT)!.dataPoints[0].value.count).toBe(1);
  });

  it('scrapeView() (what /metrics serializes) writes the same text as collect() (property)', async () => {
    const slo = { total_execution: 2500 };
    const ms = fc.double({ min: 0, max: 200_000, noNaN: true });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            agent: fc.constantFrom('planner', 'coder', 'reviewer'),
            outcome: fc.constantFrom<Outcome>('success', 'error'),
            ms: fc.array(ms, { minLength: BREAKDOWN_CATEGORIES.length, maxLength: BREAKDOWN_CATEGORIES.length }),
            ttft: fc.option(ms, { nil: undefined }),
          }),
          { minLength: 0, maxLength: 20 },
        ),
        async (specs) => {
          const { collected, inPlace } = await bothProducerPaths(specs.map((s) => [breakdown(s.agent, s.ms, s.ttft), s.outcome]), slo);
          expect(inPlace).toBe(collected);
        },
      ),
      { numRuns: 25, seed: 20261203 },
    );
  });

  it('scrapeView() is a snapshot that shares its histogram’s frozen boundaries', () => {
    const producer = new ExecutionHistogramProducer(bucketPlan());
    for (const agent of ['a', 'b', 'c']) producer.recordExecution(breakdown(agent, [10, 20], 5), 'success');
    const { histograms } = producer.scrapeView();
    expect(histograms.length).toBeGreaterThanOrEqual(3);
    for (const h of histograms) {
      expect(Object.isFrozen(h.boundaries)).toBe(true);
      for (const s of h.series) expect(s.counts.length).toBe(h.boundaries.length + 1);
    }
    // A snapshot: an execution completing while the scrape is written does not change it (so
    // a scrape stays consistent across series), and shows in the next view.
    const execution = histograms.find((h) => h.descriptor.name === METRIC_EXECUTION_DURATION)!;
    const before = execution.series[0].count;
    const bucketsBefore = Array.from(execution.series[0].counts);
    producer.recordExecution(breakdown('a', [10]), 'success');
    expect(execution.series[0].count).toBe(before);
    expect(Array.from(execution.series[0].counts)).toEqual(bucketsBefore);
    const next = producer.scrapeView().histograms.find((h) => h.descriptor.name === METRIC_EXECUTION_DURATION)!;
    expect(next.series[0].count).toBe(before + 1);
  });

  it('folds attribute sets past its cardinality limit into one overflow series, as the SDK does', async () => {
    const producer = new ExecutionHistogramProducer(bucketPlan(), 3);
    for (const agent of ['a', 'b', 'c', 'd']) producer.recordExecution(breakdown(agent, [10]), 'success');
    const [scope] = (await producer.collect()).resourceMetrics.scopeMetrics;
    const execution = scope.metrics.find((m) => m.descriptor.name === METRIC_EXECUTION_DURATION) as HistogramMetricData;
    expect(execution.dataPoints.map((p) => p.attributes['gen_ai.agent.name'] ?? `overflow=${String(p.attributes['otel.metric.overflow'])}`)).toEqual([
      'a',
      'b',
      'overflow=true',
    ]);
    expect(execution.dataPoints[2].value.count).toBe(2);
  });
});
