import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';

describe('an execution in flight holds no ended spans', () => {
  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => context.disable());

  it('releases a phase span when the phase stops, and still parents later phases in the trace', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const c = new EnhancedExecutionTimingCollector({ agentName: 'a', tracer: provider.getTracer('t'), parentContext: context.active() });
    const outer = c.startPhase('outer');
    const outerSpan = outer.span;
    expect(outerSpan?.isRecording()).toBe(true);
    const inner = c.startPhase('inner');
    const innerId = inner.span?.spanContext().spanId;
    inner.stop();
    expect(inner.span).toBeUndefined();
    // A phase started after its sibling stopped is still a child of the running outer phase.
    c.startPhase('next').stop();
    outer.stop();
    expect(outer.span).toBeUndefined();
    // Phases closed by complete() release theirs too.
    const open = c.startPhase('left-open');
    expect(open.span).toBeDefined();
    const b = c.complete();
    expect(open.span).toBeUndefined();
    expect(b.openPhases).toEqual(['left-open']);

    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    const outerId = outerSpan!.spanContext().spanId;
    expect(byName.get('inner')?.spanContext().spanId).toBe(innerId);
    expect(byName.get('inner')?.parentSpanContext?.spanId).toBe(outerId);
    expect(byName.get('next')?.parentSpanContext?.spanId).toBe(outerId);
    expect(spans).toHaveLength(5);
    await provider.shutdown();
  });
});
