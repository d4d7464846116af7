import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { getDropCounts } from '../../src/internal/diag';
import { resetForTests } from '../../src/setup/reset-for-tests';
import { feedSink } from '../../src/api/completion';
import { AggregationWindow, MetricType, type PerformanceMetric } from '../../src/types/metric-type';
import { breakdown, ManualClock, metric, NOON } from './support';

const { DATABASE_QUERY: DB, LLM_PROCESSING: LLM, TOTAL_EXECUTION: TOTAL, TTFT, TOOL_EXECUTION: TOOL, QUEUE_WAIT } = MetricType;
const W = AggregationWindow.HOUR;

beforeEach(() => resetForTests());

function setup(options: ConstructorParameters<typeof MetricsAggregator>[0] = {}) {
  const clock = new ManualClock(NOON + 1000);
  return new MetricsAggregator({ now: clock.now, ...options });
}

/** What a collector holds after an execution with two DB calls recorded as metrics. */
function execution(id = 'exec-1') {
  const metrics: PerformanceMetric[] = [
    metric(DB, 40, NOON + 100, { executionId: id, agentName: 'agent' }),
    metric(DB, 60, NOON + 300, { executionId: id, agentName: 'agent' }),
  ];
  const b = breakdown({
    executionId: id,
    startedAt: NOON,
    totalMs: 500,
    ttftMs: 120,
    databaseQueryMs: 100,
    llmProcessingMs: 300,
    initializationMs: 20,
  });
  return { metrics, b };
}

function counts(a: MetricsAggregator): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const t of [DB, LLM, TOTAL, TTFT, TOOL, QUEUE_WAIT]) out[t] = a.getAggregatedMetrics(t, W)?.count;
  return out;
}

const EXPECTED = { [DB]: 2, [LLM]: 1, [TOTAL]: 1, [TTFT]: 1, [TOOL]: 1, [QUEUE_WAIT]: 1 };

describe('exactly once', () => {
  it("the guide's manual flow: metrics, then the breakdown (which skips the types reported explicitly)", () => {
    const a = setup();
    const { metrics, b } = execution();
    for (const m of metrics) a.addMetric(m);
    a.addTimingBreakdown(b);
    expect(counts(a)).toEqual(EXPECTED);
    expect(a.getAggregatedMetrics(DB, W)?.sum).toBe(100); // the two calls, not also their 100 ms total
    expect(a.getAggregatedMetrics(TOTAL, W)?.sum).toBe(500);
    // Zero-valued categories are real observations: tool_execution and queue_wait took 0 ms.
    expect(a.getAggregatedMetrics(TOOL, W)).toMatchObject({ count: 1, sum: 0 });
  });

  it('the automatic feed (feedSink) counts the same as the manual flow', () => {
    const a = setup();
    const { metrics, b } = execution();
    feedSink(a, b, metrics);
    expect(counts(a)).toEqual(EXPECTED);
  });

  it('automatic feed followed by the manual flow counts everything once', () => {
    const a = setup();
    const { metrics, b } = execution();
    feedSink(a, b, metrics); // the SDK, at complete()
    for (const m of metrics) a.addMetric(m); // the user, following the guide
    a.addTimingBreakdown(b);
    expect(counts(a)).toEqual(EXPECTED);
    expect(a.getAggregatedMetrics(DB, W)?.sum).toBe(100);
    expect(getDropCounts()['aggregator-duplicate-metric']).toBe(2);
    expect(getDropCounts()['aggregator-duplicate-breakdown']).toBe(1);
  });

  it('manual flow mid-execution, then the automatic feed at completion: still once', () => {
    const a = setup();
    const { metrics, b } = execution();
    for (const m of metrics) a.addMetric(m);
    a.addTimingBreakdown(b); // an in-flight breakdown
    feedSink(a, breakdown({ executionId: 'exec-1', startedAt: NOON, totalMs: 650, databaseQueryMs: 100 }), metrics);
    expect(counts(a)).toEqual(EXPECTED);
    expect(a.getAggregatedMetrics(TOTAL, W)?.sum).toBe(500); // the first breakdown of an execution wins
  });

  it('breakdown first: later explicit metrics of a type it recorded are ignored (its total already counted that time)', () => {
    const a = setup();
    const { metrics, b } = execution();
    a.addTimingBreakdown(b);
    for (const m of metrics) a.addMetric(m);
    expect(a.getAggregatedMetrics(DB, W)).toMatchObject({ count: 1, sum: 100 });
    expect(getDropCounts()['aggregator-superseded-metric']).toBe(2);
    // Types the breakdown never records still count.
    a.addMetric(metric(MetricType.MEMORY_USAGE, 512, NOON + 10, { executionId: 'exec-1' }));
    expect(a.getAggregatedMetrics(MetricType.MEMORY_USAGE, W)?.count).toBe(1);
  });

  it('the same metric object added twice counts once; an equal but distinct object counts again', () => {
    const a = setup();
    const m = metric(LLM, 10, NOON, { executionId: 'e' });
    a.addMetric(m);
    a.addMetric(m);
    a.addMetric({ ...m });
    expect(a.getAggregatedMetrics(LLM, W)?.count).toBe(2);
  });

  it("identity tracking: 'withExecutionId' (default) skips metrics without an executionId, 'all' tracks them, 'none' tracks nothing", () => {
    const plain = metric(LLM, 10, NOON);
    const withId = metric(LLM, 10, NOON, { executionId: 'e' });
    const run = (mode?: 'all' | 'none' | 'withExecutionId') => {
      const a = setup(mode ? { metricIdentityTracking: mode } : {});
      for (let i = 0; i < 2; i++) {
        a.addMetric(plain);
        a.addMetric(withId);
      }
      return a.getAggregatedMetrics(LLM, W)?.count;
    };
    expect(run()).toBe(3);
    expect(run('withExecutionId')).toBe(3);
    expect(run('all')).toBe(2);
    expect(run('none')).toBe(4);
  });

  it('a second breakdown of the same execution is ignored; breakdowns without executionId always count', () => {
    const a = setup();
    const b = breakdown({ executionId: 'x', startedAt: NOON, totalMs: 10 });
    a.addTimingBreakdown(b);
    a.addTimingBreakdown(b);
    const anonymous = breakdown({ executionId: '', startedAt: NOON, totalMs: 10 });
    a.addTimingBreakdown(anonymous);
    a.addTimingBreakdown(anonymous);
    expect(a.getAggregatedMetrics(TOTAL, W)?.count).toBe(3);
  });

  it('the ledger is bounded: a long-forgotten execution is no longer recognised', () => {
    const a = setup({ maxTrackedExecutions: 4 });
    const first = breakdown({ executionId: 'first', startedAt: NOON, totalMs: 10 });
    a.addTimingBreakdown(first);
    for (let i = 0; i < 10; i++) a.addTimingBreakdown(breakdown({ executionId: `e${i}`, startedAt: NOON, totalMs: 10 }));
    expect(a.getMemoryStats().trackedExecutions).toBeLessThanOrEqual(4);
    a.addTimingBreakdown(first);
    expect(a.getAggregatedMetrics(TOTAL, W)?.count).toBe(12);
  });

  it('a recently used execution survives eviction of older ones (reads refresh it)', () => {
    const a = setup({ maxTrackedExecutions: 4 });
    a.addTimingBreakdown(breakdown({ executionId: 'busy', startedAt: NOON, totalMs: 50, databaseQueryMs: 50 }));
    for (let i = 0; i < 20; i++) {
      a.addTimingBreakdown(breakdown({ executionId: `other${i}`, startedAt: NOON, totalMs: 1 }));
      // busy's breakdown already counted its DB time, so each of these must keep being ignored.
      a.addMetric(metric(DB, 5, NOON, { executionId: 'busy' }));
    }
    expect(a.getAggregatedMetrics(DB, W)?.sum).toBe(50);
    expect(getDropCounts()['aggregator-superseded-metric']).toBe(20);
  });

  it('records the breakdown at startedAt + totalMs, or now when startedAt is unset', () => {
    const clock = new ManualClock(NOON + 10 * 60_000);
    const a = new MetricsAggregator({ now: clock.now });
    a.addTimingBreakdown(breakdown({ executionId: 'a', startedAt: NOON - 20 * 60_000, totalMs: 1000 }));
    a.addTimingBreakdown(breakdown({ executionId: 'b', totalMs: 2000 }));
    expect(a.getAggregatedMetrics(TOTAL, AggregationWindow.MINUTE)).toMatchObject({ count: 1, sum: 2000 });
    expect(a.getAggregatedMetrics(TOTAL, AggregationWindow.HOUR)).toMatchObject({ count: 2, sum: 3000 });
    const exported = a.exportMetrics(AggregationWindow.HOUR).filter((m) => m.metricType === TOTAL);
    expect(exported.map((m) => m.timestamp)).toEqual([NOON - 20 * 60_000 + 1000, NOON + 10 * 60_000]);
    expect(exported[0].metadata).toEqual({ source: 'timing_breakdown' });
  });

  it('does not record overhead or uncategorized time (they have no MetricType)', () => {
    const a = setup();
    a.addTimingBreakdown(breakdown({ executionId: 'o', startedAt: NOON, totalMs: 100, overheadMs: 60, uncategorizedMs: 40 }));
    const exported = a.exportMetrics(W);
    expect(exported).toHaveLength(8); // total_execution + the 7 phase categories (no ttftMs here)
    expect(new Set(exported.map((m) => m.metricType)).size).toBe(8);
    expect(exported.reduce((s, m) => s + (m.metricType === TOTAL ? 0 : m.value), 0)).toBe(0);
  });
});
