import { SamplingDecision, TraceFlags, context } from '@opentelemetry/api';
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
import { BreakdownSampler } from '../../src/otel/breakdown-sampler';
import { BreakdownSpanProcessor } from '../../src/otel/breakdown-span-processor';
import { EnhancedExecutionTimingCollector } from '../../src/timing/collector';

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

/** Runs executions of three phases (one nested) and returns each span's sampled flag and whether it was recorded. */
async function runExecutions(sampler: Sampler, options: { childrenFollowParent?: boolean }) {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    sampler: new BreakdownSampler(sampler, options),
    spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('t');
  const recorded: { name: string; traceId: string; sampled: boolean }[] = [];
  for (let i = 0; i < 40; i++) {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'a', tracer, parentContext: context.active() });
    const outer = c.startPhase('llm_processing');
    c.startPhase('tool_execution');
    for (const t of [outer.span, c.startPhase('inner').span]) {
      if (t) recorded.push({ name: 'phase', traceId: t.spanContext().traceId, sampled: (t.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0 });
    }
    c.stopPhase('inner');
    c.stopPhase('tool_execution');
    outer.stop();
    c.complete();
  }
  await provider.forceFlush();
  const exported = exporter.getFinishedSpans();
  await provider.shutdown(); // (which empties the in-memory exporter)
  return { recorded, exported };
}

describe('BreakdownSampler', () => {
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
      // Every phase span was recorded (the breakdown needs them) …
      expect(run.recorded).toHaveLength(80);
      // … and sampled exactly when its execution (same trace) was exported.
      const exportedTraces = new Set(run.exported.filter((s) => s.name.startsWith('invoke_agent')).map((s) => s.spanContext().traceId));
      for (const r of run.recorded) expect(r.sampled).toBe(exportedTraces.has(r.traceId));
      const exportedPhases = run.exported.filter((s) => !s.name.startsWith('invoke_agent'));
      expect(exportedPhases).toHaveLength(3 * exportedTraces.size);
    }
  });

  it('asks the wrapped sampler about every span without childrenFollowParent', async () => {
    const counting = new CountingSampler(new AlwaysOnSampler());
    await runExecutions(counting, {});
    expect(counting.calls).toBe(160);
  });
});
