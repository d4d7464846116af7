import { breakdownObservations, isDuration, observed } from '../../src/aggregation/breakdown-observations';
import { METRIC_TYPES } from '../../src/aggregation/metric-type-index';
import { MetricType } from '../../src/types/metric-type';
import { breakdown } from './support';

describe('breakdownObservations', () => {
  it('maps totalMs, ttftMs and the seven categories (zeros included) to their MetricTypes', () => {
    const b = breakdown({ totalMs: 100, ttftMs: 30, llmProcessingMs: 60, databaseQueryMs: 10, websocketNotificationMs: 5 });
    const count = breakdownObservations(b as unknown as Record<string, unknown>, b.totalMs);
    const got = Object.fromEntries(Array.from({ length: count }, (_, k) => [METRIC_TYPES[observed.typeIndex[k]], observed.value[k]]));
    expect(count).toBe(9);
    expect(got).toEqual({
      [MetricType.TOTAL_EXECUTION]: 100,
      [MetricType.TTFT]: 30,
      [MetricType.LLM_PROCESSING]: 60,
      [MetricType.DATABASE_QUERY]: 10,
      [MetricType.WEBSOCKET_LATENCY]: 5,
      [MetricType.INITIALIZATION]: 0,
      [MetricType.TOOL_EXECUTION]: 0,
      [MetricType.EXTERNAL_API]: 0,
      [MetricType.QUEUE_WAIT]: 0,
    });
  });

  it('leaves out a TTFT the breakdown does not have', () => {
    const b = breakdown({ totalMs: 10 });
    expect(breakdownObservations(b as unknown as Record<string, unknown>, b.totalMs)).toBe(8);
    expect(METRIC_TYPES[observed.typeIndex[1]]).not.toBe(MetricType.TTFT);
  });

  it('isDuration accepts finite numbers ≥ 0 only', () => {
    expect([0, 1.5, -0].every(isDuration)).toBe(true);
    expect([-1, Number.NaN, Infinity, '1', null, undefined].some(isDuration)).toBe(false);
  });
});
