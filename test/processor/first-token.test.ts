import { performance } from 'node:perf_hooks';
import { context, trace, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BreakdownSpanProcessor } from '../../src/processor/breakdown-span-processor';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { getDropCounts } from '../../src/internal/diag';
import { sleep } from '../support/time';
import { resetForTests } from '../../src/setup/reset-for-tests';

const exporter = new InMemorySpanExporter();
let provider: NodeTracerProvider;

beforeAll(() => {
  provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)] });
  provider.register();
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(() => {
  exporter.reset();
  resetForTests();
});

const tracer = () => provider.getTracer('framework');

describe('recordFirstToken(at?)', () => {
  it('without a time keeps "first call wins"', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'ttft' });
    await sleep(20);
    const first = c.recordFirstToken();
    await sleep(10);
    expect(c.recordFirstToken()).toBe(first);
    expect(c.complete().ttftMs).toBe(first);
  });

  it('takes a performance.now() reading, epoch ms or a Date, and the earliest instant wins', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'ttft' });
    await sleep(20);
    const early = performance.now();
    const epochEarly = Date.now();
    await sleep(40);
    const late = c.recordFirstToken(); // now: ~60 ms
    expect(late).toBeGreaterThanOrEqual(55);
    const fromPerf = c.recordFirstToken(early);
    expect(fromPerf).toBeLessThan(late - 30);
    expect(c.recordFirstToken(new Date(epochEarly - 5))).toBeLessThanOrEqual(fromPerf);
    expect(c.recordFirstToken()).toBeLessThanOrEqual(fromPerf); // no time: does not move it later
    const b = c.complete();
    expect(b.ttftMs).toBeLessThan(late - 30);
    const root = exporter.getFinishedSpans().find((s) => s.name === 'invoke_agent ttft')!;
    expect(root.attributes['gen_ai.response.time_to_first_chunk']).toBeCloseTo(b.ttftMs! / 1000, 6);
    const events = root.events.filter((e) => e.name === 'gen_ai.first_token');
    expect(events).toHaveLength(1);
    // The event sits at the first token's instant on the span's timeline, not at complete().
    const offsetMs = (events[0].time[0] - root.startTime[0]) * 1000 + (events[0].time[1] - root.startTime[1]) / 1e6;
    // (The execution's clock starts a moment before its span does: a loose bound.)
    expect(Math.abs(offsetMs - b.ttftMs!)).toBeLessThan(15);
    expect(offsetMs).toBeLessThan(late - 20);
  });

  it('drops times outside the execution and non-times, counted', async () => {
    const before = performance.now() - 1000;
    const c = new EnhancedExecutionTimingCollector({ agentName: 'ttft' });
    expect(c.recordFirstToken(before)).toBeNaN();
    expect(c.recordFirstToken(performance.now() + 10_000)).toBeNaN();
    expect(c.recordFirstToken(Number.NaN)).toBeNaN();
    expect(c.recordFirstToken('soon' as never)).toBeNaN();
    expect(getDropCounts()['invalid-first-token-time']).toBe(4);
    await sleep(5);
    const t = c.recordFirstToken();
    expect(c.recordFirstToken(before)).toBe(t);
    expect(c.complete().ttftMs).toBe(t);
  });
});

describe('TTFT from other instrumentations\' LLM spans', () => {
  const within = (c: EnhancedExecutionTimingCollector, fn: () => Promise<void>) => c.runInContext(fn);

  it('reads the GenAI and AI SDK first-chunk attributes, offset from the span start', async () => {
    for (const [attrs, scale] of [
      [{ 'gen_ai.operation.name': 'chat' }, 'gen_ai.client.operation.time_to_first_chunk'],
      [{ 'gen_ai.operation.name': 'chat' }, 'gen_ai.response.time_to_first_chunk'],
      [{ 'ai.operationId': 'ai.streamText.doStream' }, 'ai.response.msToFirstChunk'],
    ] as const) {
      const c = new EnhancedExecutionTimingCollector({ agentName: 'sdk' });
      let spanStart = 0;
      await within(c, async () => {
        await sleep(30);
        const before = performance.now() - c.state.startMs;
        const span = tracer().startSpan('llm', { kind: SpanKind.CLIENT, attributes: attrs });
        // The processor took the span's start in between.
        spanStart = (before + performance.now() - c.state.startMs) / 2;
        await sleep(60);
        const value = scale.startsWith('ai.') ? 25 : 0.025;
        span.setAttribute(scale, value);
        span.end();
      });
      const b = c.complete();
      expect(b.llmProcessingMs).toBeGreaterThanOrEqual(55);
      expect(Math.abs(b.ttftMs! - (spanStart + 25))).toBeLessThan(5);
    }
  });

  it('reads the first-chunk events (AI SDK, OpenInference) at their own time', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'oi' });
    let at = 0;
    await within(c, async () => {
      const span = tracer().startSpan('ChatOpenAI', { attributes: { 'openinference.span.kind': 'LLM' } });
      await sleep(40);
      at = performance.now() - c.state.startMs;
      span.addEvent('First Token Stream Event');
      await sleep(30);
      span.end();
    });
    const b = c.complete();
    expect(Math.abs(b.ttftMs! - at)).toBeLessThan(3);
  });

  it('ignores a step that only called tools, and takes the earliest of several calls', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'loop' });
    let textAt = 0;
    await within(c, async () => {
      const step1 = tracer().startSpan('ai.streamText.doStream', {
        attributes: { 'ai.operationId': 'ai.streamText.doStream', 'ai.response.finishReason': 'tool-calls', 'ai.response.text': '' },
      });
      await sleep(20);
      step1.setAttribute('ai.response.msToFirstChunk', 5);
      step1.end();
      const step2Start = performance.now();
      const step2 = tracer().startSpan('chat m', {
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.response.finish_reasons': ['stop'] },
      });
      await sleep(30);
      textAt = performance.now() - c.state.startMs;
      step2.setAttribute('gen_ai.client.operation.time_to_first_chunk', (performance.now() - step2Start) / 1000);
      step2.end();
      // a later call cannot move TTFT later
      const step3 = tracer().startSpan('chat m', { attributes: { 'gen_ai.operation.name': 'chat' } });
      step3.setAttribute('gen_ai.client.operation.time_to_first_chunk', 0.001);
      step3.end();
    });
    const b = c.complete();
    expect(Math.abs(b.ttftMs! - textAt)).toBeLessThan(3);
  });

  it('takes no TTFT from spans that are not LLM calls', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'tool' });
    await within(c, async () => {
      const span = tracer().startSpan('execute_tool x', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.response.time_to_first_chunk': 0.001 } });
      await sleep(5);
      span.end();
    });
    expect(c.complete().ttftMs).toBeUndefined();
  });
});
