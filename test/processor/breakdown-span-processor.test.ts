import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BreakdownSampler } from '../../src/processor/breakdown-sampler';
import { BreakdownSpanProcessor } from '../../src/processor/breakdown-span-processor';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { executionRegistry } from '../../src/api/execution-registry';
import { DEFAULT_LIMITS, limits } from '../../src/internal/limits';
import { categorySum, sleep } from '../support/time';
import { startLoopbackServer } from '../support/loopback-server';
import { resetForTests } from '../../src/setup/reset-for-tests';

const exporter = new InMemorySpanExporter();
let provider: NodeTracerProvider;
let disable: () => void;
let server: Awaited<ReturnType<typeof startLoopbackServer>>;

beforeAll(async () => {
  provider = new NodeTracerProvider({
    spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  disable = registerInstrumentations({ instrumentations: [new UndiciInstrumentation()], tracerProvider: provider });
  server = await startLoopbackServer(undefined, 40);
});

afterAll(async () => {
  disable();
  await server.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(() => exporter.reset());

const byName = (spans: ReadableSpan[], name: string) => spans.find((s) => s.name === name);

describe('BreakdownSpanProcessor with a real foreign instrumentation', () => {
  it('puts a real fetch (undici instrumentation) inside a tool phase into externalApiMs', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'fetcher' });
    const text = await c.measure('search', undefined, () => fetch(`${server.url}/search`).then((r) => r.text()));
    expect(text).toBe('ok');
    const b = c.complete();
    expect(b.foreignSpanCount).toBe(1);
    expect(b.externalApiMs).toBeGreaterThanOrEqual(35);
    expect(b.uncategorizedMs).toBeLessThan(b.externalApiMs);
    expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);

    const spans = exporter.getFinishedSpans();
    const root = byName(spans, 'invoke_agent fetcher')!;
    const phase = byName(spans, 'search')!;
    const http = spans.find((s) => s.kind === SpanKind.CLIENT)!;
    expect(http).toBeDefined();
    expect(phase.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(http.parentSpanContext?.spanId).toBe(phase.spanContext().spanId);
    expect(http.spanContext().traceId).toBe(root.spanContext().traceId);
  });

  it('captures foreign spans at the top level of an execution with runInContext()', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'ctx' });
    await c.runInContext(() => fetch(server.url).then((r) => r.text()));
    const b = c.complete();
    expect(b.externalApiMs).toBeGreaterThanOrEqual(35);
  });

  it('keeps an LLM phase LLM time even though its HTTP request is instrumented', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'llm' });
    await c.measure('llm_processing', undefined, () => fetch(server.url).then((r) => r.text()));
    const b = c.complete();
    expect(b.foreignSpanCount).toBe(1);
    expect(b.externalApiMs).toBe(0);
    expect(b.llmProcessingMs).toBeGreaterThanOrEqual(35);
  });

  it('classifies database and GenAI spans made by other tracers, nested below each other', async () => {
    const other = trace.getTracer('some-db-driver');
    const c = new EnhancedExecutionTimingCollector({ agentName: 'mixed' });
    await c.runInContext(async () => {
      await other.startActiveSpan('SELECT agents', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } }, async (s) => {
        await sleep(20);
        s.end();
      });
      await other.startActiveSpan('chat gpt-x', { kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'chat' } }, async (s) => {
        await sleep(20);
        s.end();
      });
      await other.startActiveSpan('execute_tool search', { attributes: { 'gen_ai.operation.name': 'execute_tool' } }, async (s) => {
        await sleep(10);
        // a queue read inside the tool span: deeper, so it wins its time
        await other.startActiveSpan('orders receive', { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'kafka' } }, async (q) => {
          await sleep(15);
          q.end();
        });
        s.end();
      });
    });
    const b = c.complete();
    expect(b.foreignSpanCount).toBe(4);
    expect(b.databaseQueryMs).toBeGreaterThanOrEqual(18);
    expect(b.llmProcessingMs).toBeGreaterThanOrEqual(18);
    expect(b.toolExecutionMs).toBeGreaterThanOrEqual(8);
    expect(b.queueWaitMs).toBeGreaterThanOrEqual(13);
    expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);
  });

  it('ignores spans outside any execution and spans after complete()', async () => {
    const other = trace.getTracer('x');
    other.startSpan('outside', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } }).end();
    const c = new EnhancedExecutionTimingCollector({ agentName: 'late' });
    let late: ReturnType<typeof other.startSpan> | undefined;
    c.runInContext(() => {
      late = other.startSpan('late', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } });
    });
    const b = c.complete();
    late!.end();
    expect(b.foreignSpanCount).toBe(0);
    // The still-open foreign span covered time up to complete(): it counts, clipped at the end.
    expect(b.externalApiMs).toBeGreaterThan(0);
  });

  it('sets error status on the execution span and execute_tool naming on tool phases', () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'err' });
    c.startPhase('tool_execution', { toolName: 'web_search', api_key: 'sk-secret' });
    c.stopPhase('tool_execution');
    c.recordFirstToken();
    c.complete({ success: false, error: new RangeError('bad') });
    const spans = exporter.getFinishedSpans();
    const root = byName(spans, 'invoke_agent err')!;
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes['error.type']).toBe('RangeError');
    expect(root.attributes['gen_ai.operation.name']).toBe('invoke_agent');
    expect(root.attributes['gen_ai.agent.name']).toBe('err');
    expect(root.attributes['agent_timing.execution.id']).toBe(c.executionId);
    expect(root.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0);
    expect(root.events.map((e) => e.name)).toContain('gen_ai.first_token');
    const tool = byName(spans, 'execute_tool web_search')!;
    expect(tool.attributes['gen_ai.operation.name']).toBe('execute_tool');
    expect(tool.attributes['gen_ai.tool.name']).toBe('web_search');
    expect(tool.attributes['api_key']).toBe('[REDACTED]');
    expect(tool.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
  });
});

describe('the breakdown does not depend on export', () => {
  it('counts foreign spans the sampler drops from export (BreakdownSampler records them)', async () => {
    const dropped = new InMemorySpanExporter();
    const p = new NodeTracerProvider({
      sampler: new BreakdownSampler(new TraceIdRatioBasedSampler(0)),
      spanProcessors: [new BreakdownSpanProcessor(), new BatchSpanProcessor(dropped)],
    });
    const tracer = p.getTracer('t');
    const c = new EnhancedExecutionTimingCollector({ agentName: 'unsampled', tracer });
    await c.runInContext(() =>
      tracer.startActiveSpan('db', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'sqlite' } }, async (s) => {
        await sleep(10);
        s.end();
      }),
    );
    const b = c.complete();
    await p.forceFlush();
    expect(b.foreignSpanCount).toBe(1);
    expect(b.databaseQueryMs).toBeGreaterThanOrEqual(9);
    expect(dropped.getFinishedSpans()).toHaveLength(0);
    await p.shutdown();
  });

  it('counts spans that a full export queue drops', async () => {
    const slow = new InMemorySpanExporter();
    const p = new NodeTracerProvider({
      spanProcessors: [new BreakdownSpanProcessor(), new BatchSpanProcessor(slow, { maxQueueSize: 2, maxExportBatchSize: 1, scheduledDelayMillis: 60_000 })],
    });
    const tracer = p.getTracer('t');
    const c = new EnhancedExecutionTimingCollector({ agentName: 'queue', tracer });
    c.runInContext(() => {
      for (let i = 0; i < 50; i++) tracer.startSpan(`q${i}`, { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc' } }).end();
    });
    const b = c.complete();
    expect(b.foreignSpanCount).toBe(50);
    await p.shutdown();
    expect(slow.getFinishedSpans().length).toBeLessThan(50);
  });
});

describe('abandoned executions', () => {
  afterEach(() => resetForTests());

  it('are evicted after abandonAfterMs, ending their spans, and counted', async () => {
    limits.abandonAfterMs = 30;
    executionRegistry.reschedule();
    const before = executionRegistry.evictedCount;
    const c = new EnhancedExecutionTimingCollector({ agentName: 'abandoned' });
    c.startPhase('llm_processing');
    await sleep(60);
    executionRegistry.sweep();
    expect(executionRegistry.evictedCount).toBe(before + 1);
    const root = exporter.getFinishedSpans().find((s) => s.name === 'invoke_agent abandoned')!;
    expect(root.attributes['agent_timing.abandoned']).toBe(true);
    expect(exporter.getFinishedSpans().find((s) => s.name === 'llm_processing')).toBeDefined();
    expect(() => c.complete()).not.toThrow();
  });
});

describe('abandonAfterMs of a processor (per processor, not a process global)', () => {
  const providers: NodeTracerProvider[] = [];
  const withProcessor = (options: ConstructorParameters<typeof BreakdownSpanProcessor>[0], sampler?: AlwaysOffSampler) => {
    const p = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor(options)], sampler });
    providers.push(p);
    return p.getTracer('t');
  };
  afterEach(async () => {
    for (const c of started.splice(0)) c.complete();
    await Promise.all(providers.splice(0).map((p) => p.shutdown()));
    resetForTests();
  });
  const started: EnhancedExecutionTimingCollector[] = [];
  const start = (agentName: string, tracer?: ReturnType<typeof withProcessor>) => {
    const c = new EnhancedExecutionTimingCollector({ agentName, tracer });
    started.push(c);
    return c;
  };

  it('evicts an execution started under a processor with a short time, not one under a processor with a longer one', () => {
    const short = withProcessor({ abandonAfterMs: 30_000 });
    const long = withProcessor({ abandonAfterMs: 120_000 });
    const a = start('short', short);
    const b = start('long', long);
    const d = start('default'); // the global provider's processor has no option: the process default
    expect(executionRegistry.abandonAfterMsOf(a)).toBe(30_000);
    expect(executionRegistry.abandonAfterMsOf(b)).toBe(120_000);
    expect(executionRegistry.abandonAfterMsOf(d)).toBe(DEFAULT_LIMITS.abandonAfterMs);
    // A sweep 60 s after they started (the clock passed in, so no waiting): only the 30 s one is over.
    expect(executionRegistry.sweep(Math.max(a.state.startMs, b.state.startMs, d.state.startMs) + 60_000)).toBe(1);
    expect([a.completed, b.completed, d.completed]).toEqual([true, false, false]);
    expect(a.state.evicted).toBe(true);
    // And 130 s on, the 120 s one too; the default (600 s) one still runs.
    expect(executionRegistry.sweep(b.state.startMs + 130_000)).toBe(1);
    expect([b.completed, d.completed]).toEqual([true, false]);
  });

  it('two processors with different values no longer overwrite each other (nor the process default)', () => {
    const first = withProcessor({ abandonAfterMs: 40_000 });
    const a = start('first', first);
    const second = withProcessor({ abandonAfterMs: 90_000 });
    const b = start('second', second);
    const a2 = start('first-again', first); // made after the second processor: still the first's value
    expect([a, b, a2].map((c) => executionRegistry.abandonAfterMsOf(c))).toEqual([40_000, 90_000, 40_000]);
    expect(limits.abandonAfterMs).toBe(DEFAULT_LIMITS.abandonAfterMs);
    // startAgentTelemetry's default (here set directly) moves only the executions without a processor value.
    limits.abandonAfterMs = 300_000;
    expect(executionRegistry.abandonAfterMsOf(start('default'))).toBe(300_000);
    expect(executionRegistry.abandonAfterMsOf(a)).toBe(40_000);
  });

  it('takes the shortest of two processors on one provider; a shut-down processor and a sampled-out execution give none', async () => {
    const p = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor({ abandonAfterMs: 500_000 }), new BreakdownSpanProcessor({ abandonAfterMs: 70_000 })] });
    providers.push(p);
    expect(executionRegistry.abandonAfterMsOf(start('both', p.getTracer('t')))).toBe(70_000);
    const off = withProcessor({ abandonAfterMs: 70_000 }, new AlwaysOffSampler());
    expect(executionRegistry.abandonAfterMsOf(start('sampled-out', off))).toBe(DEFAULT_LIMITS.abandonAfterMs);
    const closed = new BreakdownSpanProcessor({ abandonAfterMs: 70_000 });
    const q = new NodeTracerProvider({ spanProcessors: [closed] });
    providers.push(q);
    await closed.shutdown();
    expect(executionRegistry.abandonAfterMsOf(start('after-shutdown', q.getTracer('t')))).toBe(DEFAULT_LIMITS.abandonAfterMs);
    // The offer is taken by the execution whose span made it: the next one, with no processor, has the default.
    expect(executionRegistry.abandonAfterMsOf(start('next'))).toBe(DEFAULT_LIMITS.abandonAfterMs);
  });

  it('still rejects a bad value at construction', () => {
    expect(() => new BreakdownSpanProcessor({ abandonAfterMs: 0 })).toThrow(/abandonAfterMs must be a positive number/);
    expect(() => new BreakdownSpanProcessor({ abandonAfterMs: Infinity })).toThrow(/abandonAfterMs/);
  });
});
