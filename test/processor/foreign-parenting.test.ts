import { context, trace, type Span } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BreakdownSpanProcessor } from '../../src/processor/breakdown-span-processor';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { sleep } from '../support/time';

let provider: NodeTracerProvider;

beforeAll(() => {
  provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor()] });
  provider.register();
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

const tracer = () => provider.getTracer('ai');
const under = (parent: Span, name: string, attributes: Record<string, string>) =>
  tracer().startSpan(name, { attributes }, trace.setSpan(context.active(), parent));

/** The AI SDK tool-loop shape: a streamed step's doStream stays open while its tool runs. */
async function toolLoop(sibling: boolean) {
  const c = new EnhancedExecutionTimingCollector({ agentName: 'loop' });
  await c.runInContext(async () => {
    const root = tracer().startSpan('ai.streamText', { attributes: { 'ai.operationId': 'ai.streamText' } });
    const doStream = under(root, 'ai.streamText.doStream', { 'ai.operationId': 'ai.streamText.doStream' });
    await sleep(60);
    const tool = under(sibling ? root : doStream, 'ai.toolCall', { 'ai.operationId': 'ai.toolCall' });
    await sleep(100);
    tool.end();
    await sleep(5);
    doStream.end();
    const step2 = under(root, 'ai.streamText.doStream', { 'ai.operationId': 'ai.streamText.doStream' });
    await sleep(60);
    step2.end();
    root.end();
  });
  return c.complete();
}

describe('tool spans beside an open model call', () => {
  it.each([
    ['a child of the stream', false],
    ['a sibling of the stream (AI SDK 6 with some providers)', true],
  ])('keep their time when %s', async (_shape, sibling) => {
    const b = await toolLoop(sibling);
    expect(b.toolExecutionMs).toBeGreaterThanOrEqual(99);
    expect(b.toolExecutionMs).toBeLessThan(b.llmProcessingMs);
    expect(b.llmProcessingMs).toBeGreaterThanOrEqual(124);
  });

  it('are not moved under a model call that runs under another parent', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'parallel' });
    await c.runInContext(async () => {
      const a = tracer().startSpan('branch a');
      const llm = under(a, 'chat m', { 'gen_ai.operation.name': 'chat' });
      const b = tracer().startSpan('branch b');
      await sleep(20);
      const tool = under(b, 'execute_tool t', { 'gen_ai.operation.name': 'execute_tool' });
      await sleep(40);
      llm.end();
      a.end();
      await sleep(40);
      tool.end();
      b.end();
    });
    const b = c.complete();
    // parallel branches: the tool, ending last, has the overlap; nothing nested it under the model
    expect(b.toolExecutionMs).toBeGreaterThanOrEqual(75);
  });
});
