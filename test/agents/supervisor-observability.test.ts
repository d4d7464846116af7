import { randomUUID } from 'node:crypto';
import { diag, DiagLogLevel, SpanStatusCode, type DiagLogger } from '@opentelemetry/api';
import { SupervisorObservability } from '../../src/agents/supervisor-observability';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { getGlobalAggregator } from '../../src/aggregation/global-aggregator';
import { getDropCounts } from '../../src/internal/diag';
import { configureRedaction } from '../../src/internal/redaction';
import { ATTR_RUN_ID } from '../../src/spans/names';
import { ATTR_USER_ID } from '../../src/spans/semconv';
import { startAgentTelemetry } from '../../src/setup/telemetry';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { categorySum, sleep } from '../support/time';
import { bracket, completions, expectMatchesPlan, plans, spanRecorder } from './support';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('the guide, translated: Supervisor Integration', () => {
  it('runs the guide example: start, phase, TTFT, breakdown, complete', async () => {
    const aggregator = new MetricsAggregator();
    // Create observability instance
    const observability = new SupervisorObservability({ aggregator });
    // Create execution context
    const state = { messages: [] as string[] };
    const context = { runId: randomUUID(), agentName: 'supervisor', state, userId: 'user123' };
    // Start workflow with timing
    observability.startWorkflowTrace(context);
    // Track phases
    observability.startPhase(context.runId, 'tool_execution');
    await sleep(15); // ... execute tools ...
    observability.stopPhase(context.runId, 'tool_execution');
    // Record TTFT
    observability.recordFirstToken(context.runId);
    // Get timing breakdown
    const breakdown = observability.getTimingBreakdown(context.runId)!;
    expect(breakdown.completed).toBe(false);
    expect(breakdown.toolExecutionMs).toBeGreaterThanOrEqual(14);
    // Complete workflow
    const result = { success: true, data: { result: 'data' } };
    const final = observability.completeWorkflowTrace(context, result)!;

    expect(final.executionId).toBe(context.runId);
    expect(final.agentName).toBe('supervisor');
    expect(final.outcome).toBe('success');
    expect(final.ttftMs).toBeGreaterThanOrEqual(14);
    expect(categorySum(final)).toBeCloseTo(final.totalMs, 6);
    expect(aggregator.getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.MINUTE)?.count).toBe(1);
    expect(aggregator.getAggregatedMetrics(MetricType.TTFT, AggregationWindow.MINUTE)?.count).toBe(1);
    expect(observability.activeRunCount).toBe(0);
    // After completion the final breakdown is still readable.
    expect(observability.getTimingBreakdown(context.runId)).toBe(final);
  });
});

describe('SupervisorObservability', () => {
  it('keeps 1 000 concurrent runs apart: each breakdown matches its own ground truth', async () => {
    const aggregator = new MetricsAggregator();
    const observability = new SupervisorObservability({ aggregator });
    const runPlans = plans(1000, 'sup');
    const results = await Promise.all(
      runPlans.map(async (plan) => {
        const ctx = { runId: plan.runId, agentName: 'supervisor', userId: `user-${plan.runId}` };
        observability.startWorkflowTrace(ctx);
        for (const [k, p] of plan.phases.entries()) {
          await bracket(plan, p.name, async () => {
            observability.startPhase(plan.runId, p.name);
            await sleep(p.ms);
            observability.stopPhase(plan.runId, p.name);
          });
          if (k === 0 && plan.ttft) observability.recordFirstToken(plan.runId);
        }
        return observability.completeWorkflowTrace(ctx, { success: true })!;
      }),
    );
    expect(observability.activeRunCount).toBe(0);
    results.forEach((b, i) => {
      expect(b.executionId).toBe(runPlans[i].runId);
      expectMatchesPlan(b, runPlans[i]);
      expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);
    });
    expect(aggregator.getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.MINUTE)?.count).toBe(1000);
    expect(aggregator.getAggregatedMetrics(MetricType.TTFT, AggregationWindow.MINUTE)?.count).toBe(runPlans.filter((p) => p.ttft).length);
  });

  it('puts the run id and the user id on the span, hashes the user id when asked, and marks failures', () => {
    const { provider, spans } = spanRecorder();
    const observability = new SupervisorObservability({ aggregator: new MetricsAggregator(), tracer: provider.getTracer('t') });
    observability.startWorkflowTrace({ runId: 'run-ok', agentName: 'supervisor', userId: 'alice' });
    observability.completeWorkflowTrace({ runId: 'run-ok', agentName: 'supervisor' }, { success: true });
    configureRedaction({ hashUserIds: true });
    try {
      observability.startWorkflowTrace({ runId: 'run-bad', agentName: 'supervisor', userId: 'alice' });
      const b = observability.completeWorkflowTrace({ runId: 'run-bad', agentName: 'supervisor' }, { success: false, error: new Error('boom') });
      expect(b?.outcome).toBe('error');
    } finally {
      configureRedaction({});
    }
    const [ok, bad] = spans();
    expect(ok.name).toBe('invoke_workflow supervisor');
    expect(ok.attributes['gen_ai.operation.name']).toBe('invoke_workflow');
    expect(ok.attributes['gen_ai.workflow.name']).toBe('supervisor');
    expect(ok.attributes[ATTR_RUN_ID]).toBe('run-ok');
    expect(ok.attributes[ATTR_USER_ID]).toBe('alice');
    expect(ok.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(bad.attributes[ATTR_USER_ID]).toMatch(/^[0-9a-f]{16}$/);
    expect(bad.status.code).toBe(SpanStatusCode.ERROR);
    expect(bad.status.message).toBe('boom');
  });

  it('treats unknown and completed run ids as no-ops with a diag warning, never a throw', () => {
    const observability = new SupervisorObservability({ aggregator: new MetricsAggregator() });
    expect(() => observability.startPhase('nope', 'x')).not.toThrow();
    expect(observability.stopPhase('nope', 'x')).toBeUndefined();
    expect(observability.recordFirstToken('nope')).toBeUndefined();
    expect(observability.getTimingBreakdown('nope')).toBeUndefined();
    expect(observability.completeWorkflowTrace({ runId: 'nope', agentName: 'a' }, { success: true })).toBeUndefined();
    expect(getDropCounts()['supervisor-unknown-run']).toBe(5);

    const ctx = { runId: 'done', agentName: 'a' };
    observability.startWorkflowTrace(ctx);
    const first = observability.completeWorkflowTrace(ctx, { success: true });
    expect(observability.completeWorkflowTrace(ctx, { success: false })).toBeUndefined();
    observability.startPhase('done', 'late');
    expect(getDropCounts()['supervisor-completed-run']).toBe(2);
    expect(observability.getTimingBreakdown('done')).toBe(first);

    // Garbage in: dropped and counted.
    expect(() => observability.startWorkflowTrace(undefined as never)).not.toThrow();
    expect(() => observability.startWorkflowTrace({ runId: '', agentName: 'a' })).not.toThrow();
    expect(() => observability.recordResourceMetrics(null as never)).not.toThrow();
    expect(getDropCounts()['supervisor-invalid-context']).toBe(2);
  });

  it('ignores a second start of a run in flight and bounds the runs in flight', () => {
    const observability = new SupervisorObservability({ aggregator: new MetricsAggregator(), maxConcurrentRuns: 2 });
    observability.startWorkflowTrace({ runId: 'a', agentName: 'x' });
    observability.startWorkflowTrace({ runId: 'a', agentName: 'x' });
    observability.startWorkflowTrace({ runId: 'b', agentName: 'x' });
    observability.startWorkflowTrace({ runId: 'c', agentName: 'x' });
    expect(observability.activeRunCount).toBe(2);
    expect(getDropCounts()['supervisor-duplicate-run']).toBe(1);
    expect(getDropCounts()['supervisor-run-limit']).toBe(1);
    expect(observability.getCollector('c')).toBeUndefined();
    observability.completeWorkflowTrace({ runId: 'a', agentName: 'x' }, { success: true });
    observability.startWorkflowTrace({ runId: 'c', agentName: 'x' });
    expect(observability.getCollector('c')).toBeDefined();
    expect(() => new SupervisorObservability({ maxConcurrentRuns: 0 })).toThrow(RangeError);
  });

  it('closes phases still running at completion and reports them as open', async () => {
    const observability = new SupervisorObservability({ aggregator: new MetricsAggregator() });
    const ctx = { runId: 'open', agentName: 'x' };
    observability.startWorkflowTrace(ctx);
    observability.startPhase('open', 'llm_processing');
    await sleep(5);
    const b = observability.completeWorkflowTrace(ctx, { success: true })!;
    expect(b.openPhases).toEqual(['llm_processing']);
    expect(b.llmProcessingMs).toBeGreaterThanOrEqual(4);
  });

  it('runInWorkflow makes the run current for the helpers', async () => {
    const { currentCollector, phase } = await import('../../src/agents/context-helpers');
    const observability = new SupervisorObservability({ aggregator: new MetricsAggregator() });
    const ctx = { runId: 'ctx', agentName: 'x' };
    observability.startWorkflowTrace(ctx);
    await observability.runInWorkflow('ctx', async () => {
      expect(currentCollector()).toBe(observability.getCollector('ctx'));
      await phase('database_query', () => sleep(5));
    });
    expect(observability.runInWorkflow('unknown', () => 7)).toBe(7);
    const b = observability.completeWorkflowTrace(ctx, { success: true })!;
    expect(b.databaseQueryMs).toBeGreaterThanOrEqual(4);
  });

  it('records resource readings into its aggregator (memory and pool usage as metrics, all in the summary)', () => {
    const aggregator = new MetricsAggregator();
    const observability = new SupervisorObservability({ aggregator });
    observability.recordResourceMetrics({ cpuPercent: 37.5, memoryMb: 512, threadCount: 11, threadPoolPercent: 42 });
    expect(aggregator.getAggregatedMetrics(MetricType.MEMORY_USAGE, AggregationWindow.MINUTE)?.max).toBe(512);
    expect(aggregator.getAggregatedMetrics(MetricType.THREAD_POOL_USAGE, AggregationWindow.MINUTE)?.max).toBe(42);
    expect(aggregator.getPerformanceSummary().resourceUtilization).toEqual({ cpuPercent: 37.5, memoryMb: 512, threadCount: 11, threadPoolPercent: 42 });
  });
});

describe('debug logging', () => {
  it('logs through diag with agent-timing/<component> prefixes once a logger is installed', () => {
    const lines: string[] = [];
    const record = (level: string) => (...args: unknown[]) => lines.push(`${level} ${args.map(String).join(' ')}`);
    const logger: DiagLogger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), verbose: record('verbose') };
    diag.setLogger(logger, { logLevel: DiagLogLevel.DEBUG, suppressOverrideMessage: true });
    try {
      const observability = new SupervisorObservability({ aggregator: new MetricsAggregator() });
      observability.startWorkflowTrace({ runId: 'dbg', agentName: 'x' });
      observability.completeWorkflowTrace({ runId: 'dbg', agentName: 'x' }, { success: true });
      observability.stopPhase('dbg', 'late');
    } finally {
      diag.disable();
    }
    expect(lines.some((l) => l.startsWith('debug agent-timing/supervisor') && l.includes('workflow run dbg started'))).toBe(true);
    expect(lines.some((l) => l.startsWith('warn agent-timing/drops') && l.includes('run dbg already completed'))).toBe(true);
  });
});

describe('SupervisorObservability with startAgentTelemetry feeding the same global aggregator', () => {
  it('counts each run exactly once', async () => {
    resetForTests();
    const telemetry = startAgentTelemetry({ prometheus: false, otlp: false, instrumentations: [] });
    const seen = completions();
    try {
      const observability = new SupervisorObservability(); // the global aggregator
      for (let i = 0; i < 5; i++) {
        const ctx = { runId: `tel-${i}`, agentName: 'supervisor', userId: 'u' };
        observability.startWorkflowTrace(ctx);
        const collector = observability.getCollector(ctx.runId)!;
        await collector.measure('lookup', MetricType.DATABASE_QUERY, () => sleep(2));
        observability.recordFirstToken(ctx.runId);
        observability.completeWorkflowTrace(ctx, { success: i !== 4, error: i === 4 ? new Error('x') : undefined });
      }
      const global = getGlobalAggregator();
      expect(global.getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.MINUTE)?.count).toBe(5);
      expect(global.getAggregatedMetrics(MetricType.TTFT, AggregationWindow.MINUTE)?.count).toBe(5);
      expect(global.getAggregatedMetrics(MetricType.DATABASE_QUERY, AggregationWindow.MINUTE)?.count).toBe(5);
      expect(global.exportMetrics(AggregationWindow.MINUTE).filter((m) => m.metricType === MetricType.TOTAL_EXECUTION)).toHaveLength(5);
      // Both feeds ran (the supervisor's and the processor's); the aggregator kept the first of each.
      expect(getDropCounts()['aggregator-duplicate-breakdown']).toBe(5);
      expect(getDropCounts()['aggregator-duplicate-metric']).toBe(5);
      expect([...seen.byId.values()].every((list) => list.length === 1)).toBe(true);
      // User ids never reach metrics.
      expect(JSON.stringify(global.exportMetrics(AggregationWindow.MINUTE))).not.toContain('"u"');
    } finally {
      seen.stop();
      await telemetry.shutdown();
      resetForTests();
    }
  });
});
