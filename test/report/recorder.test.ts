import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { EnhancedExecutionTimingCollector, MetricType, ReportRecorder, buildReport, MetricsAggregator, renderTerminalReport, ansiColors } from '../../src';
import { sleep } from '../support/time';

// The ReportRecorder with a real tracer provider and real collectors: what it keeps, and its bounds.

function setUp(recorder: ReportRecorder): { provider: BasicTracerProvider; tracer: ReturnType<BasicTracerProvider['getTracer']> } {
  const provider = new BasicTracerProvider({ spanProcessors: [recorder] });
  return { provider, tracer: provider.getTracer('agent-timing') };
}

/** Each execution's measured total, by id: what the recorder ranks the slowest by. */
const totals = new Map<string, number>();

async function run(tracer: ReturnType<BasicTracerProvider['getTracer']>, name: string, ms: number): Promise<string> {
  const c = new EnhancedExecutionTimingCollector({ agentName: name, tracer });
  await c.measure('llm', MetricType.LLM_PROCESSING, () => sleep(ms));
  await c.measure('db', MetricType.DATABASE_QUERY, () => sleep(1));
  c.complete();
  totals.set(c.executionId, c.getBreakdown().totalMs);
  return c.executionId;
}

describe('ReportRecorder', () => {
  const cm = new AsyncLocalStorageContextManager().enable();
  beforeAll(() => context.setGlobalContextManager(cm));
  afterAll(() => {
    context.disable();
    trace.disable();
  });

  it('keeps the recent and the slowest executions with their spans, and lists the rest without them', async () => {
    const recorder = new ReportRecorder({ recentExecutions: 3, slowestExecutions: 2, listedExecutions: 6, recentEveryMs: 0 });
    const { provider, tracer } = setUp(recorder);
    const ids: string[] = [];
    const durations = [300, 1, 1, 250, 1, 1, 1, 1]; // gaps wide enough for a loaded machine
    for (const ms of durations) ids.push(await run(tracer, 'bot', ms));
    const snap = recorder.snapshot();
    // The two slowest by measured total: ids[0] and ids[3], unless the machine delayed a 1 ms run past
    // 250 ms (seen beside two busy loops at load average 25).
    const slowest = [...ids].sort((a, b) => totals.get(b)! - totals.get(a)!).slice(0, 2);
    // Listed: the latest six, plus the slowest that have left the list.
    expect(snap.executions.map((e) => e.breakdown.executionId).sort()).toEqual([...new Set([...slowest, ...ids.slice(2)])].sort());
    // With spans: the three most recent and the two slowest.
    expect(Object.keys(snap.waterfalls).sort()).toEqual([...new Set([...slowest, ids[5], ids[6], ids[7]])].sort());
    const rows = snap.waterfalls[slowest[0]];
    expect(rows.map((r) => r.name)).toEqual(['invoke_agent bot', 'llm', 'db']);
    expect(rows[1].category).toBe('llm_processing');
    // The critical path computed from the spans tiles the execution.
    const e0 = snap.executions.find((e) => e.breakdown.executionId === slowest[0])!;
    const cp = e0.criticalPath!.reduce((a, s) => a + s.durationMs, 0);
    expect(cp).toBeCloseTo(rows[0].endMs - rows[0].startMs, 6);
    expect(rows[1].critical?.length).toBe(1);
    expect(rows[1].selfMs).toBeCloseTo(rows[1].endMs - rows[1].startMs, 6);
    await provider.shutdown();
    expect(recorder.completed).toBe(durations.length);
  });

  it('drops the spans of the oldest trace beyond maxPendingTraces and keeps at most maxSpansPerTrace (and the execution\'s root)', async () => {
    const recorder = new ReportRecorder({ maxPendingTraces: 2, maxSpansPerTrace: 1 });
    const { provider, tracer } = setUp(recorder);
    for (let i = 0; i < 5; i++) tracer.startSpan(`orphan ${i}`).end(); // traces with no execution
    expect(recorder.pendingTraces).toBe(2);
    const id = await run(tracer, 'bot', 1); // 2 phases and the root: the first phase and the root are kept
    const snap = recorder.snapshot();
    expect(snap.waterfalls[id]?.map((r) => r.name)).toEqual(['invoke_agent bot', 'llm']);
    await provider.shutdown();
  });

  it('keeps every span of executions whose spans end interleaved (several traces in flight)', async () => {
    const recorder = new ReportRecorder({ recentExecutions: 10, recentEveryMs: 0 });
    const { provider, tracer } = setUp(recorder);
    // Four at once, with different phase lengths: their spans end alternating between traces.
    const ids = await Promise.all([3, 1, 4, 2].map((ms) => run(tracer, 'bot', ms)));
    const snap = recorder.snapshot();
    for (const id of ids) expect(snap.waterfalls[id]?.map((r) => r.name)).toEqual(['invoke_agent bot', 'llm', 'db']);
    expect(recorder.pendingTraces).toBe(0);
    await provider.shutdown();
  });

  it('builds rows only when read: completion stores references', async () => {
    const recorder = new ReportRecorder({ recentExecutions: 2 });
    const { provider, tracer } = setUp(recorder);
    await run(tracer, 'bot', 1);
    const kept = (recorder as unknown as { recent: Array<{ built?: unknown } | undefined> }).recent;
    expect(kept.filter(Boolean).every((k) => k!.built === undefined)).toBe(true);
    recorder.snapshot();
    expect(kept.filter(Boolean).every((k) => k!.built !== undefined)).toBe(true);
    await provider.shutdown();
  });

  it('keeps at most one recent execution per recentEveryMs (the slowest whatever the rate)', async () => {
    const recorder = new ReportRecorder({ recentExecutions: 10, slowestExecutions: 1, recentEveryMs: 60_000 });
    const { provider, tracer } = setUp(recorder);
    for (let i = 0; i < 5; i++) await run(tracer, 'bot', i === 2 ? 300 : 1);
    const snap = recorder.snapshot();
    expect(snap.executions).toHaveLength(5); // all listed
    expect(snap.kept).toBe(2); // the first (recent) and the slowest
    expect(snap.executions.filter((e) => e.waterfall).map((e) => e.breakdown.totalMs >= 300)).toEqual([false, true]);
    await provider.shutdown();
  });

  it('rejects bad options at set-up with the option named', () => {
    expect(() => new ReportRecorder({ recentExecutions: -1 })).toThrow(/report\.recentExecutions/);
    expect(() => new ReportRecorder({ maxSpansPerTrace: 1.5 })).toThrow(/report\.maxSpansPerTrace/);
  });

  it('feeds buildReport and the terminal renderer, thresholds from the options', async () => {
    const recorder = new ReportRecorder();
    const { provider, tracer } = setUp(recorder);
    const aggregator = new MetricsAggregator();
    for (let i = 0; i < 4; i++) {
      const c = new EnhancedExecutionTimingCollector({ agentName: 'bot', tracer, aggregator });
      await c.measure('llm', MetricType.LLM_PROCESSING, () => sleep(2));
      c.recordFirstToken();
      c.complete();
    }
    const { executions } = recorder.snapshot();
    const report = buildReport({ executions, aggregator, sloThresholdsMs: { time_to_first_token: 750, total_execution: 2500 } });
    expect(report.ttft.sloMs).toBe(750);
    expect(report.slo.find((s) => s.metricType === 'total_execution')?.thresholdMs).toBe(2500);
    expect(report.run.requests).toBe(4);
    expect(report.slowest?.waterfall.length).toBeGreaterThan(1);
    const text = renderTerminalReport(report, ansiColors(false), 100);
    expect(text).toContain('objective ≤ 750 ms');
    expect(text).toContain('Slowest execution');
    await provider.shutdown();
  });
});
