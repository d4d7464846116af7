import { randomUUID } from 'node:crypto';
import { EnhancedExecutionTimingCollector, ExecutionTimingCollector } from '../../src/api/collector';
import { MetricType } from '../../src/types/metric-type';
import { getDropCounts } from '../../src/internal/diag';
import { categorySum, sleep, spin } from '../support/time';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('the guide, translated: Quick Start', () => {
  it('works with no OpenTelemetry set-up and gives a correct breakdown', () => {
    const executionId = randomUUID();
    const collector = new EnhancedExecutionTimingCollector({ executionId, agentName: 'my_agent' });
    collector.startPhase('initialization');
    spin(5);
    collector.stopPhase('initialization');
    collector.startPhase('tool_execution');
    spin(10);
    collector.stopPhase('tool_execution');
    const ttft = collector.recordFirstToken();
    const breakdown = collector.getBreakdown();
    expect(breakdown.executionId).toBe(executionId);
    expect(breakdown.agentName).toBe('my_agent');
    expect(breakdown.initializationMs).toBeGreaterThanOrEqual(5);
    expect(breakdown.toolExecutionMs).toBeGreaterThanOrEqual(10);
    expect(breakdown.ttftMs).toBe(ttft);
    expect(ttft).toBeGreaterThanOrEqual(15);
    expect(categorySum(breakdown)).toBeCloseTo(breakdown.totalMs, 6);
    const efficiency = breakdown.calculateEfficiency();
    expect(efficiency).toBeGreaterThan(50); // loose: a loaded CI machine stretches the gaps between phases
    expect(efficiency).toBeLessThanOrEqual(100);
  });
});

describe('the guide, translated: Using Timing Collectors', () => {
  it('basic phase tracking returns the duration', () => {
    const collector = new EnhancedExecutionTimingCollector({ executionId: randomUUID(), agentName: 'data_analysis_agent' });
    collector.startPhase('data_loading');
    spin(3);
    const duration = collector.stopPhase('data_loading');
    expect(duration).toBeGreaterThanOrEqual(3);
    expect(collector.getBreakdown().phases.data_loading).toBe(duration);
  });

  it('nested phases: children inside main_processing, no double counting', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'nested' });
    collector.startPhase('main_processing');
    collector.startPhase('preprocessing');
    spin(4);
    collector.stopPhase('preprocessing');
    collector.startPhase('analysis', { category: 'llm_processing' });
    spin(6);
    collector.stopPhase('analysis');
    collector.stopPhase('main_processing');
    const b = collector.complete();
    expect(b.phases.main_processing).toBeGreaterThanOrEqual(b.phases.preprocessing + b.phases.analysis);
    expect(b.llmProcessingMs).toBeCloseTo(b.phases.analysis, 6);
    // main_processing and preprocessing have no category: their own time is uncategorized, once.
    expect(b.uncategorizedMs).toBeCloseTo(b.phases.main_processing - b.phases.analysis, 6);
    expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);
  });

  it('parallel task tracking counts wall-clock once, phases show each task', async () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'parallel' });
    const apiCall = async (ms: number) => sleep(ms);
    const task1 = collector.startParallelTask('api_call_1', { category: 'external_api' });
    collector.startParallelTask('api_call_2', { category: 'external_api' });
    await Promise.all([apiCall(30).then(() => task1.stop()), apiCall(30)]);
    collector.stopParallelTask('api_call_2');
    const b = collector.complete();
    expect(b.phases.api_call_1).toBeGreaterThanOrEqual(29);
    expect(b.phases.api_call_2).toBeGreaterThanOrEqual(29);
    expect(b.externalApiMs).toBeLessThan(b.phases.api_call_1 + b.phases.api_call_2 - 20);
    expect(b.externalApiMs).toBeLessThanOrEqual(b.totalMs);
    expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);
  });

  it('TTFT inside llm_processing; the first call wins', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'llm' });
    collector.startPhase('llm_processing');
    spin(3);
    const ttft = collector.recordFirstToken();
    spin(2);
    expect(collector.recordFirstToken()).toBe(ttft);
    collector.stopPhase('llm_processing');
    const b = collector.complete();
    expect(b.ttftMs).toBe(ttft);
    expect(b.llmProcessingMs).toBeGreaterThanOrEqual(5);
  });
});

describe('the guide, translated: Performance Metrics', () => {
  it('custom metrics keep their values and metadata', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'metrics' });
    collector.addMetric(MetricType.DATABASE_QUERY, 125.5, { query: 'SELECT * FROM agents', rows: 42 });
    collector.addMetric(MetricType.EXTERNAL_API, 850.0, { endpoint: '/api/v1/analyze', status: 200 });
    expect(collector.metrics).toHaveLength(2);
    expect(collector.metrics[0]).toMatchObject({ metricType: 'database_query', value: 125.5, agentName: 'metrics' });
    expect({ ...collector.metrics[0].metadata }).toEqual({ query: 'SELECT * FROM agents', rows: 42 });
    expect(collector.metrics[1].executionId).toBe(collector.executionId);
    expect(JSON.parse(JSON.stringify(collector.metrics))).toHaveLength(2);
  });
});

describe('the guide, translated: Best Practices', () => {
  it('phase metadata is accepted (and becomes span attributes elsewhere)', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'bp' });
    collector.startPhase('database_query', { query_type: 'SELECT', table: 'agents', index_used: true });
    spin(2);
    collector.stopPhase('database_query');
    expect(collector.complete().databaseQueryMs).toBeGreaterThanOrEqual(2);
  });

  it('error handling: always stop phases, record the failure, rethrow', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'bp' });
    const performRiskyOperation = (): never => {
      throw new Error('boom');
    };
    collector.startPhase('risky_operation');
    expect(() => {
      try {
        performRiskyOperation();
      } catch (e) {
        collector.stopPhase('risky_operation');
        collector.addMetric(MetricType.TOTAL_EXECUTION, 0, { error: String(e) });
        throw e;
      }
    }).toThrow('boom');
    expect(collector.getBreakdown().openPhases).toEqual([]);
    expect(collector.metrics[0]).toMatchObject({ metricType: 'total_execution', value: 0 });
  });

  it('context managers: measure() with a callback stops on return and on throw, and records the metric', async () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'bp' });
    const db = { query: async (_sql: string) => (await sleep(10), [{ id: 1 }]) };
    const result = await collector.measure('database_operation', MetricType.DATABASE_QUERY, () => db.query('SELECT * FROM agents'));
    expect(result).toEqual([{ id: 1 }]);
    await expect(
      collector.measure('database_operation', MetricType.DATABASE_QUERY, async () => {
        await sleep(5);
        throw new Error('db down');
      }),
    ).rejects.toThrow('db down');
    expect(() => collector.measure('sync', undefined, () => {
      throw new TypeError('sync fail');
    })).toThrow(TypeError);
    const b = collector.complete();
    expect(collector.metrics.filter((m) => m.metricType === MetricType.DATABASE_QUERY)).toHaveLength(2);
    expect(b.databaseQueryMs).toBeGreaterThanOrEqual(15);
    expect(b.openPhases).toEqual([]);
  });

  it('context managers: the `using` form stops the phase when the block exits', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'bp' });
    {
      using timer = collector.measure('database_operation', MetricType.DATABASE_QUERY);
      spin(3);
      expect(timer.running).toBe(true);
    }
    expect(collector.metrics).toHaveLength(1);
    expect(collector.metrics[0].value).toBeGreaterThanOrEqual(3);
    expect(collector.getBreakdown().databaseQueryMs).toBeGreaterThanOrEqual(3);
  });
});

describe('the guide, translated: Optimize Critical Path', () => {
  it('ExecutionTimingCollector gives a critical path whose entries sum to the total', async () => {
    const collector = new ExecutionTimingCollector({ agentName: 'my_agent' });
    collector.startPhase('initialization');
    await sleep(5);
    collector.stopPhase('initialization');
    const slow = collector.startParallelTask('slow_tool');
    const fast = collector.startParallelTask('fast_tool');
    await sleep(5);
    fast.stop();
    await sleep(10);
    slow.stop();
    const b = collector.complete();
    const path = collector.getCriticalPath();
    const sum = path.reduce((a, e) => a + e.durationMs, 0);
    expect(sum).toBeCloseTo(b.totalMs, 6);
    const ops = path.map((e) => e.operation);
    expect(ops).toContain('slow_tool');
    expect(ops).not.toContain('fast_tool');
  });
});

describe('execution lifecycle', () => {
  it('complete() closes running phases, reports them, and is idempotent', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'life' });
    collector.startPhase('tool_execution');
    collector.startPhase('database_query');
    spin(2);
    const b = collector.complete({ success: false, error: new Error('x') });
    expect(b.openPhases.sort()).toEqual(['database_query', 'tool_execution']);
    expect(b.outcome).toBe('error');
    expect(b.completed).toBe(true);
    expect(b.phases.database_query).toBeGreaterThan(0);
    expect(collector.complete()).toBe(b);
    expect(getDropCounts()['complete-twice']).toBe(1);
  });

  it('getBreakdown() works mid-execution with open phases', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'mid' });
    collector.startPhase('llm_processing');
    spin(3);
    const mid = collector.getBreakdown();
    expect(mid.completed).toBe(false);
    expect(mid.openPhases).toEqual(['llm_processing']);
    expect(mid.llmProcessingMs).toBeGreaterThanOrEqual(3);
    expect(categorySum(mid)).toBeCloseTo(mid.totalMs, 6);
  });

  it('getSummary() is JSON-safe', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'sum' });
    collector.startPhase('initialization');
    collector.stopPhase('initialization');
    collector.recordFirstToken();
    collector.complete();
    const json = JSON.parse(JSON.stringify(collector.getSummary()));
    expect(json).toMatchObject({ agentName: 'sum', completed: true, outcome: 'success' });
    expect(Array.isArray(json.criticalPath)).toBe(true);
  });

  it('stopPhase stops the most recent phase of that name', () => {
    const collector = new EnhancedExecutionTimingCollector({ agentName: 'same' });
    collector.startPhase('step');
    spin(4);
    collector.startPhase('step');
    spin(1);
    const inner = collector.stopPhase('step')!;
    const outer = collector.stopPhase('step')!;
    expect(outer).toBeGreaterThan(inner);
    expect(collector.getBreakdown().phases.step).toBeCloseTo(inner + outer, 6);
  });
});

describe('bad input never throws: dropped, counted, reported once', () => {
  it('handles absurd names, unknown types and bad values', () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: '' as string });
    expect(c.agentName).toBe('unknown');
    expect(() => {
      c.startPhase('' as string);
      c.startPhase(undefined as unknown as string);
      c.startPhase({ toString: () => { throw new Error('no'); } } as unknown as string);
      c.stopPhase('never-started');
      c.stopPhase('never-started');
      c.stopParallelTask(Symbol('x') as unknown as string);
      c.addMetric('nope' as MetricType, 1);
      c.addMetric(MetricType.TTFT, NaN);
      c.addMetric(MetricType.TTFT, -1);
      c.addMetric(MetricType.TTFT, Infinity);
      c.addMetric(MetricType.TTFT, '5' as unknown as number);
      c.measure('x', 'bogus' as MetricType, () => 1);
      c.startPhase('a'.repeat(100_000)).stop();
      c.complete('weird' as unknown as { success: boolean });
      c.startPhase('after');
      c.addMetric(MetricType.TTFT, 1);
      c.recordFirstToken();
      c.complete();
    }).not.toThrow();
    const counts = getDropCounts();
    expect(counts['invalid-phase-name']).toBe(3);
    expect(counts['phase-not-running']).toBe(2);
    expect(counts['parallel-task-not-running']).toBe(1);
    expect(counts['invalid-metric-type']).toBe(2);
    expect(counts['invalid-metric-value']).toBe(4);
    expect(counts['call-after-complete']).toBe(3);
    expect(c.metrics).toHaveLength(0);
    expect(Object.keys(c.getBreakdown().phases)[0].length).toBeLessThanOrEqual(256);
  });

  it('options: a throwing getter drops that option only; null means absent; non-objects are ignored', () => {
    const options = { agentName: 'opts', executionId: 'run-1', tracer: undefined };
    Object.defineProperty(options, 'meter', { get: () => { throw new Error('no meter'); }, enumerable: true });
    const c = new EnhancedExecutionTimingCollector(options as never);
    expect(c.agentName).toBe('opts');
    expect(c.executionId).toBe('run-1');
    expect(getDropCounts()['unreadable-option']).toBe(1);
    expect(c.complete().agentName).toBe('opts');
    // null is "not given", not an invalid value: no drop, the defaults apply.
    const n = new EnhancedExecutionTimingCollector({ agentName: null, executionId: null } as never);
    expect(n.agentName).toBe('unknown');
    expect(n.executionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(getDropCounts()['invalid-agent-name']).toBeUndefined();
    expect(getDropCounts()['invalid-execution-id']).toBeUndefined();
    // A function is not an options object, whatever properties it has.
    const fn = Object.assign(() => undefined, { agentName: 'from-a-function' });
    expect(new EnhancedExecutionTimingCollector(fn as never).agentName).toBe('unknown');
  });

  it('a stopped timer stopped again returns undefined', () => {
    const c = new EnhancedExecutionTimingCollector();
    const t = c.startPhase('p');
    expect(t.stop()).toBeGreaterThanOrEqual(0);
    expect(t.stop()).toBeUndefined();
    expect(getDropCounts()['phase-not-running']).toBe(1);
  });
});
