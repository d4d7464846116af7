import type { AggregatedMetrics } from '../../src/aggregation/aggregated-metrics';
import { averageBreakdown } from '../../src/analysis/aggregate-breakdown';
import { MetricType } from '../../src/types/metric-type';

const agg = (metricType: MetricType, count: number, mean: number) => ({ metricType, count, mean, sum: count * mean }) as AggregatedMetrics;

describe('averageBreakdown', () => {
  it('builds the average execution: per-category time per execution, the rest as overhead', () => {
    const b = averageBreakdown({
      total_execution: agg(MetricType.TOTAL_EXECUTION, 10, 1000),
      llm_processing: agg(MetricType.LLM_PROCESSING, 10, 600),
      database_query: agg(MetricType.DATABASE_QUERY, 40, 25), // four queries per execution
      time_to_first_token: agg(MetricType.TTFT, 10, 300),
    });
    expect(b).toMatchObject({ totalMs: 1000, llmProcessingMs: 600, databaseQueryMs: 100, overheadMs: 300, ttftMs: 300 });
  });

  it('is undefined without TOTAL_EXECUTION data', () => {
    expect(averageBreakdown([agg(MetricType.LLM_PROCESSING, 1, 5)])).toBeUndefined();
    expect(averageBreakdown({})).toBeUndefined();
  });
});
