import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { EnhancedExecutionTimingCollector } from '../../src';
import { agentTimingViews } from '../../src/metrics/views';
import { MetricType } from '../../src/types/metric-type';
import { PerformanceAnalyzer } from '../../src/analysis/performance-analyzer';
import { sleep } from '../support/time';

/**
 * agent_operation_duration_seconds holds one observation per operation (query, call, tool run, LLM
 * call), taken from the execution's intervals at completion, and the GenAI conventions' histograms
 * sit beside it.
 */

async function histograms(run: (meter: ReturnType<MeterProvider['getMeter']>) => Promise<void> | void): Promise<Map<string, HistogramMetricData>> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader], views: agentTimingViews({ sloThresholdsMs: { database_query: 100 } }) });
  await run(provider.getMeter('agent-timing'));
  await reader.forceFlush();
  const metrics = exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics));
  await provider.shutdown();
  return new Map(metrics.map((m) => [m.descriptor.name, m as HistogramMetricData]));
}

function pointsBy(h: HistogramMetricData | undefined, key: string): Record<string, { count: number; sum: number }> {
  const out: Record<string, { count: number; sum: number }> = {};
  for (const p of h?.dataPoints ?? []) out[String(p.attributes[key])] = { count: p.value.count, sum: p.value.sum ?? 0 };
  return out;
}

describe('per-operation histograms', () => {
  it('observe each database query, external call, tool run and LLM call once, nested ones of the same category not again', async () => {
    const metricValues: number[] = [];
    const byName = await histograms(async (meter) => {
      const c = new EnhancedExecutionTimingCollector({ agentName: 'ops', meter });
      await c.measure('q1', MetricType.DATABASE_QUERY, () => sleep(5));
      await c.measure('q2', MetricType.DATABASE_QUERY, () => sleep(15));
      // A query phase with a nested query phase inside: one query.
      await c.measure('q3', MetricType.DATABASE_QUERY, () => c.measure('q3-inner', MetricType.DATABASE_QUERY, () => sleep(5)));
      await c.measure('search', MetricType.TOOL_EXECUTION, async () => {
        await c.measure('fetch', MetricType.EXTERNAL_API, () => sleep(5));
      });
      c.startPhase('llm_processing');
      await sleep(10);
      c.recordFirstToken();
      await sleep(5);
      c.stopPhase('llm_processing');
      c.complete({ success: true });
      for (const m of c.metrics) if (m.metricType === MetricType.DATABASE_QUERY) metricValues.push(m.value);
    });
    const ops = pointsBy(byName.get('agent_operation_duration_seconds'), 'agent_timing.category');
    expect(ops.database_query.count).toBe(3);
    expect(ops.external_api.count).toBe(1);
    expect(ops.tool_execution.count).toBe(1);
    expect(ops.llm_processing.count).toBe(1);
    // The three outermost query phases are exactly the durations measure() reported (q3 and q3-inner both report).
    expect(ops.database_query.sum * 1000).toBeGreaterThanOrEqual(25);
    expect(metricValues.length).toBe(4);
    // The GenAI conventions' histograms.
    // No tool name (a phase name: user input never becomes a metric label), one series per outcome.
    const tools = byName.get('gen_ai.execute_tool.duration')!.dataPoints;
    expect(tools.map((p) => p.attributes)).toEqual([{ 'gen_ai.operation.name': 'execute_tool' }]);
    expect(tools[0].value.count).toBe(1);
    const agent = byName.get('gen_ai.invoke_agent.duration')!;
    expect(agent.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(agent.dataPoints[0].attributes).toEqual({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'ops' });
    expect(agent.dataPoints[0].value.buckets.boundaries).toEqual([0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6]);
    const chunk = byName.get('gen_ai.client.operation.time_to_first_chunk')!;
    expect(chunk.dataPoints).toHaveLength(1);
    // From the start of the LLM phase (≥ 10 ms), not from the start of the execution (≥ 50 ms).
    expect(chunk.dataPoints[0].value.sum! * 1000).toBeGreaterThanOrEqual(10);
    expect(chunk.dataPoints[0].value.sum!).toBeLessThan(byName.get('agent_time_to_first_token_seconds')!.dataPoints[0].value.sum!);
  });

  it('keep the SLO threshold an exact boundary of the operation histogram', async () => {
    const byName = await histograms((meter) => {
      const c = new EnhancedExecutionTimingCollector({ agentName: 'b', meter });
      c.startPhase('database_query');
      c.stopPhase('database_query');
      c.complete();
    });
    expect(byName.get('agent_operation_duration_seconds')!.dataPoints[0].value.buckets.boundaries).toContain(0.1);
  });

  it('count queries as calculateSloCompliance counts their metrics', async () => {
    const values: number[] = [];
    const byName = await histograms(async (meter) => {
      for (let i = 0; i < 3; i++) {
        const c = new EnhancedExecutionTimingCollector({ agentName: 'slo', meter });
        for (const ms of [2, 2, 2, 120]) await c.measure('q', MetricType.DATABASE_QUERY, () => sleep(ms));
        c.complete();
        for (const m of c.metrics) values.push(m.value);
      }
    });
    const point = byName.get('agent_operation_duration_seconds')!.dataPoints[0];
    const le = point.value.buckets.boundaries.indexOf(0.1);
    const good = point.value.buckets.counts.slice(0, le + 1).reduce((a, b) => a + b, 0);
    const inProcess = new PerformanceAnalyzer().calculateSloCompliance(
      values.map((value) => ({ metricType: MetricType.DATABASE_QUERY, value, timestamp: Date.now() })),
      { database_query: 100 },
    );
    expect(point.value.count).toBe(12);
    expect((100 * good) / point.value.count).toBeCloseTo(inProcess.database_query, 9);
    // Three of the twelve (the 120 ms queries) are always over the objective; the 2 ms ones are within
    // it unless the machine delays them past 100 ms (seen beside two busy loops at load average 25),
    // so the share is counted from the durations measure() returned.
    expect(inProcess.database_query).toBeLessThanOrEqual(75);
    expect(inProcess.database_query).toBeCloseTo((100 * values.filter((v) => v <= 100).length) / values.length, 9);
  });
});

