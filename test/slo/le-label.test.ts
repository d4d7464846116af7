import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { bucketPlan, msToBoundarySeconds } from '../../src/metrics/buckets';
import { METRIC_EXECUTION_DURATION } from '../../src/spans/names';
import { exporterLeValue, leMatcher, leValues, normalizedLeValue } from '../../src/slo/le-label';

/** The `le` values the real JS Prometheus exporter prints for a histogram with these boundaries. */
async function exportedLeValues(boundaries: number[]): Promise<string[]> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  provider
    .getMeter('agent-timing')
    .createHistogram(METRIC_EXECUTION_DURATION, { unit: 's', advice: { explicitBucketBoundaries: boundaries } })
    .record(0.05, { 'gen_ai.agent.name': 'a' });
  const { resourceMetrics } = await exporter.collect();
  const text = new PrometheusSerializer().serialize(resourceMetrics);
  await provider.shutdown();
  return [...text.matchAll(/_bucket\{[^}]*le="([^"]+)"\}/g)].map((m) => m[1]);
}

describe('le label values', () => {
  it('match what the JS Prometheus exporter prints, for every default boundary and odd custom ones', async () => {
    const plan = bucketPlan({ total_execution: 7500, time_to_first_token: 0.05, database_query: 1e-4, external_api: 3_600_000 });
    const boundaries = [...new Set([...plan.execution, ...plan.phase, ...plan.ttft])].sort((a, b) => a - b);
    expect(await exportedLeValues(boundaries)).toEqual([...boundaries.map(exporterLeValue), '+Inf']);
    expect(boundaries.map(exporterLeValue)).toEqual(expect.arrayContaining(['0.01', '0.64', '7.5', '0.00005', '1e-7', '3600', '0.001088', '81.92']));
  });

  it.each([
    // Go strconv.FormatFloat(v, 'g', -1, 64), plus ".0" when there is neither "." nor "e": Prometheus 3
    [1, '1.0'], [5, '5.0'], [0.1, '0.1'], [5.12, '5.12'], [0.0005, '0.0005'], [0.0001, '0.0001'],
    [0.00005, '5e-05'], [1e-7, '1e-07'], [123456, '123456.0'], [1e6, '1e+06'], [1.5e6, '1.5e+06'], [3600, '3600.0'],
  ])('normalise %p as Prometheus 3 stores it: %p', (value, expected) => {
    expect(normalizedLeValue(value)).toBe(expected);
  });

  it('select every spelling, the exporter\'s first, in a PromQL matcher', () => {
    expect(leValues(0.1)).toEqual(['0.1']);
    expect(leMatcher(0.1)).toBe('le="0.1"');
    expect(leValues(1)).toEqual(['1', '1.0']);
    expect(leMatcher(1)).toBe('le=~"1|1\\\\.0"');
    expect(leMatcher(msToBoundarySeconds(0.05))).toBe('le=~"0\\\\.00005|5e-05"');
    expect(exporterLeValue(Infinity)).toBe('+Inf');
  });
});
