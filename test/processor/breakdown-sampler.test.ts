import { SamplingDecision, SpanKind, TraceFlags, context, trace, type Span } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BreakdownSampler } from '../../src/processor/breakdown-sampler';
import { BreakdownSpanProcessor } from '../../src/processor/breakdown-span-processor';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';

/** Wraps a sampler and counts the calls it gets, so a test can tell the fast path was taken. */
class CountingSampler implements Sampler {
  calls = 0;
  constructor(private readonly inner: Sampler) {}
  shouldSample(...args: Parameters<Sampler['shouldSample']>): SamplingResult {
    this.calls++;
    return this.inner.shouldSample(...args);
  }
  toString(): string {
    return `Counting{${this.inner.toString()}}`;
  }
}

/**
 * Runs executions of three phases (one nested); returns, per execution, its trace id, whether it
 * was sampled, the spans its phases had while running, and its breakdown's phase names.
 */
async function runExecutions(sampler: Sampler, options: { childrenFollowParent?: boolean }) {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    sampler: new BreakdownSampler(sampler, options),
    spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('t');
  const executions: { traceId: string; sampled: boolean; phaseSpans: (Span | undefined)[]; phases: string[] }[] = [];
  for (let i = 0; i < 40; i++) {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'a', tracer, parentContext: context.active() });
    const root = c.runInContext(() => trace.getSpanContext(context.active()));
    const outer = c.startPhase('llm_processing');
    c.startPhase('tool_execution');
    const phaseSpans = [outer.span, c.startPhase('inner').span];
    c.stopPhase('inner');
    c.stopPhase('tool_execution');
    outer.stop();
    const b = c.complete();
    executions.push({ traceId: root!.traceId, sampled: (root!.traceFlags & TraceFlags.SAMPLED) !== 0, phaseSpans, phases: Object.keys(b.phases).sort() });
  }
  await provider.forceFlush();
  const exported = exporter.getFinishedSpans();
  await provider.shutdown(); // (which empties the in-memory exporter)
  return { executions, exported };
}

describe('BreakdownSampler', () => {
  // Phases' span contexts are made active through the OpenTelemetry context API.
  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => context.disable());

  it('records spans inside executions that the wrapped sampler drops, without sampling them', () => {
    const s = new BreakdownSampler(new AlwaysOffSampler());
    const c = new EnhancedExecutionTimingCollector({ agentName: 'a' });
    const inside = c.runInContext(() => s.shouldSample(context.active(), '0af7651916cd43dd8448eb211c80319c', 'x', 0, {}, []));
    const outside = s.shouldSample(context.active(), '0af7651916cd43dd8448eb211c80319c', 'x', 0, {}, []);
    c.complete();
    expect(inside.decision).toBe(SamplingDecision.RECORD);
    expect(outside.decision).toBe(SamplingDecision.NOT_RECORD);
  });

  const samplers: [string, () => Sampler][] = [
    ['parentbased_always_on', () => new ParentBasedSampler({ root: new AlwaysOnSampler() })],
    ['parentbased_traceidratio 0.5', () => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) })],
    ['traceidratio 0.5', () => new TraceIdRatioBasedSampler(0.5)],
    ['always_off', () => new AlwaysOffSampler()],
  ];

  it.each(samplers)('childrenFollowParent gives phases their execution’s decision, as %s itself would', async (_name, make) => {
    const counting = new CountingSampler(make());
    const fast = await runExecutions(counting, { childrenFollowParent: true });
    // Only the 40 execution spans reached the wrapped sampler; the 120 phases took the fast path.
    expect(counting.calls).toBe(40);
    const slow = await runExecutions(make(), {});
    for (const run of [fast, slow]) {
      const exportedTraces = new Set(run.exported.filter((s) => s.name.startsWith('invoke_agent')).map((s) => s.spanContext().traceId));
      for (const e of run.executions) {
        // Every breakdown is whole, sampled or not …
        expect(e.phases).toEqual(['inner', 'llm_processing', 'tool_execution']);
        expect(e.sampled).toBe(exportedTraces.has(e.traceId));
        // … phases are spans (sampled, in the execution's trace) exactly when the execution was
        // sampled; a sampled-out execution times them without spans.
        for (const span of e.phaseSpans) {
          if (!e.sampled) expect(span).toBeUndefined();
          else {
            expect(span?.spanContext().traceId).toBe(e.traceId);
            expect((span!.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0).toBe(true);
          }
        }
      }
      const exportedPhases = run.exported.filter((s) => !s.name.startsWith('invoke_agent'));
      expect(exportedPhases).toHaveLength(3 * exportedTraces.size);
    }
  });

  it('asks the wrapped sampler about every span without childrenFollowParent', async () => {
    const counting = new CountingSampler(new AlwaysOnSampler());
    await runExecutions(counting, {});
    expect(counting.calls).toBe(160);
  });

  it('keeps a sampled-out execution off the recording path while its context propagates and foreign spans still count', async () => {
    const exporter = new InMemorySpanExporter();
    const seen: string[] = [];
    const provider = new NodeTracerProvider({
      sampler: new BreakdownSampler(new ParentBasedSampler({ root: new AlwaysOffSampler() })),
      spanProcessors: [
        new BreakdownSpanProcessor(),
        { onStart: (s) => void seen.push(s.name), onEnd: () => {}, forceFlush: () => Promise.resolve(), shutdown: () => Promise.resolve() },
        new SimpleSpanProcessor(exporter),
      ],
    });
    const tracer = provider.getTracer('t');
    const driver = provider.getTracer('some-db-driver');
    const c = new EnhancedExecutionTimingCollector({ agentName: 'a', tracer, parentContext: context.active() });
    const inner = c.measure('llm_processing', undefined, () => {
      // Another instrumentation's span inside a phase of the sampled-out execution.
      const active = trace.getSpan(context.active());
      const s = driver.startSpan('SELECT', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } });
      const recording = s.isRecording();
      const until = performance.now() + 2;
      while (performance.now() < until);
      s.end();
      return { active, foreign: s, recording };
    });
    const timer = c.startPhase('tool_execution');
    expect(timer.span).toBeUndefined();
    timer.stop();
    const b = c.complete();
    await provider.forceFlush();

    // The execution's span context is active in its phases: valid, not sampled, not recording …
    const root = inner.active!;
    expect(root.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(root.spanContext())).toBe(true);
    expect(root.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    // … so the foreign span joins its trace, unsampled, yet recorded for the breakdown.
    expect(inner.foreign.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(inner.foreign.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    expect(inner.recording).toBe(true);
    expect(b.foreignSpanCount).toBe(1);
    expect(b.databaseQueryMs).toBeGreaterThan(0);
    expect(Object.keys(b.phases).sort()).toEqual(['llm_processing', 'tool_execution']);
    // Our own spans were never started on the SDK (no processor saw them), nothing was exported.
    expect(seen).toEqual(['SELECT']);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await provider.shutdown();
  });
});
