import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD, CATEGORY_METRIC_TYPE, PHASE_CATEGORIES } from '../../src/breakdown/categories';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { AggregationWindow } from '../../src/types/metric-type';
import { PerformanceAnalyzer } from '../../src/analysis/performance-analyzer';
import { averageBreakdown } from '../../src/analysis/aggregate-breakdown';
import { recordBreakdown, type ExecutionHistograms, type HistogramSink } from '../../src/metrics/record-breakdown';
import { LABEL_CATEGORY } from '../../src/spans/names';
import { spin } from '../support/time';

// The category list has one source (src/breakdown/categories.ts); every place that handles categories
// one by one must handle each of them. A category added there and forgotten elsewhere fails here.

describe.each(PHASE_CATEGORIES)('category %s', (category) => {
  const collector = new EnhancedExecutionTimingCollector({ agentName: 'categories' });
  collector.startPhase('work', { category });
  spin(2);
  collector.stopPhase('work');
  const breakdown = collector.complete();
  const field = CATEGORY_FIELD[category];

  it('the partition files a phase of it under its own field, not elsewhere', () => {
    expect(breakdown[field]).toBeGreaterThanOrEqual(2);
    for (const other of PHASE_CATEGORIES) if (other !== category) expect(breakdown[CATEGORY_FIELD[other]]).toBe(0);
  });

  it('toJSON() carries its field', () => {
    expect((breakdown.toJSON() as unknown as Record<string, number>)[field]).toBe(breakdown[field]);
  });

  it('the aggregator files it under its MetricType', () => {
    const aggregator = new MetricsAggregator();
    aggregator.addTimingBreakdown(breakdown);
    expect(aggregator.getAggregatedMetrics(CATEGORY_METRIC_TYPE[category], AggregationWindow.MINUTE)?.count).toBe(1);
  });

  it('the phase-duration histogram records it under its category label', () => {
    const recorded: Array<[string, number]> = [];
    const sink = (into?: Array<[string, number]>): HistogramSink => ({ record: (seconds, attributes) => into?.push([String(attributes[LABEL_CATEGORY]), seconds]) });
    const histograms: ExecutionHistograms = {
      execution: sink(), phase: sink(recorded), ttft: sink(), operation: sink(), invokeAgent: sink(), executeTool: sink(), workflow: sink(), timeToFirstChunk: sink(),
    };
    recordBreakdown(breakdown, 'success', histograms);
    expect(recorded).toContainEqual([category, breakdown[field] / 1000]);
  });

  it('the average breakdown of aggregates carries it', () => {
    const aggregator = new MetricsAggregator();
    aggregator.addTimingBreakdown(breakdown);
    const average = averageBreakdown(aggregator.getPerformanceSummary().currentMetrics);
    expect(average?.[field]).toBeCloseTo(breakdown[field], 6);
  });

  it('the analyzer reports it as a bottleneck by name', () => {
    const { bottlenecks } = new PerformanceAnalyzer().analyzeTimingBreakdown(breakdown);
    expect(bottlenecks.map((b) => b.category)).toContain(category);
  });
});

it('every breakdown category has a TimingBreakdown field, and the fields are distinct', () => {
  const fields = BREAKDOWN_CATEGORIES.map((c) => CATEGORY_FIELD[c]);
  expect(new Set(fields).size).toBe(BREAKDOWN_CATEGORIES.length);
  const b = new EnhancedExecutionTimingCollector({ agentName: 'categories' }).complete();
  for (const f of fields) expect(typeof b[f]).toBe('number');
});
