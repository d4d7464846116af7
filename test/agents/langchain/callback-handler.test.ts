import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { FakeListChatModel, FakeRetriever, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { AIMessage } from '@langchain/core/messages';
import { AgentTimingCallbackHandler } from '../../../src/agents/langchain';
import { withExecution } from '../../../src/agents/context-helpers';
import { getDropCounts } from '../../../src/internal/diag';
import { ATTR_RUN_ID } from '../../../src/spans/names';
import { categorySum, sleep } from '../../support/time';
import { completions, spanRecorder } from '../support';
import { resetForTests } from '../../../src/setup/reset-for-tests';

const recorder = spanRecorder();

beforeAll(() => recorder.provider.register());
afterAll(async () => {
  await recorder.provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => {
  recorder.exporter.reset();
  resetForTests();
});

const adder = tool(
  async ({ a, b }: { a: number; b: number }) => {
    await sleep(15);
    return String(a + b);
  },
  {
    name: 'adder',
    description: 'adds two numbers',
    schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
);

function sequence(model: FakeListChatModel | FakeStreamingChatModel): RunnableSequence {
  return RunnableSequence.from([
    RunnableLambda.from(async (x: number) => {
      await sleep(5);
      return { a: x, b: 2 };
    }).withConfig({ runName: 'prepare' }),
    adder,
    RunnableLambda.from((sum: string) => `The sum is ${sum}`).withConfig({ runName: 'format' }),
    model,
  ]);
}

describe('AgentTimingCallbackHandler on a real runnable sequence with a tool', () => {
  it('makes the root chain one execution with tool and LLM phases and TTFT (streamed); chain steps are overhead', async () => {
    const seen = completions();
    try {
      const handler = new AgentTimingCallbackHandler();
      const model = new FakeListChatModel({ responses: ['four, I think'], sleep: 3 });
      const chunks: string[] = [];
      for await (const chunk of await sequence(model).stream(2, { callbacks: [handler] })) chunks.push(String(chunk.content));
      expect(chunks.join('')).toBe('four, I think');
      expect(handler.activeRunCount).toBe(0);

      const all = [...seen.byId.values()].flat();
      expect(all).toHaveLength(1);
      const b = all[0];
      expect(b.agentName).toBe('RunnableSequence');
      expect(b.outcome).toBe('success');
      expect(Object.keys(b.phases).sort()).toEqual(['FakeListChatModel', 'adder']);
      expect(b.toolExecutionMs).toBeGreaterThanOrEqual(14);
      expect(b.llmProcessingMs).toBeGreaterThan(10);
      // the 'prepare' step's 5 ms sleep is framework time: overhead, not uncategorized
      expect(b.overheadMs).toBeGreaterThanOrEqual(5);
      expect(b.uncategorizedMs).toBe(0);
      expect(b.ttftMs).toBeGreaterThan(5 + b.phases.adder);
      expect(b.ttftMs!).toBeLessThan(b.totalMs);
      expect(b.openPhases).toEqual([]);
      expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);

      const spans = recorder.spans();
      const root = spans.find((s) => s.name === 'invoke_agent RunnableSequence')!;
      expect(root.attributes[ATTR_RUN_ID]).toBe(b.executionId);
      const tool = spans.find((s) => s.name === 'execute_tool adder')!;
      const llm = spans.find((s) => s.name === 'FakeListChatModel')!;
      expect(tool.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(llm.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(llm.attributes['agent_timing.phase.category']).toBe('llm_processing');
    } finally {
      seen.stop();
    }
  });

  it('measures TTFT under invoke() with preferStreaming and a fake streaming chat model', async () => {
    const seen = completions();
    try {
      const handler = new AgentTimingCallbackHandler({ preferStreaming: true, agentName: 'math_agent' });
      const model = new FakeStreamingChatModel({ responses: [new AIMessage('the answer is four')], sleep: 2 });
      const out = await sequence(model).invoke(2, { callbacks: [handler] });
      expect(String(out.content)).toBe('the answer is four');
      const [b] = [...seen.byId.values()].flat();
      expect(b.agentName).toBe('math_agent');
      expect(b.ttftMs).toBeDefined();
      expect(b.ttftMs!).toBeGreaterThan(b.phases.adder);
      expect(b.phases.FakeStreamingChatModel).toBeGreaterThan(0);
    } finally {
      seen.stop();
    }
  });

  it('with chainPhases, nests chains inside chains as phases; maps retrievers to database_query', async () => {
    const seen = completions();
    try {
      const inner = RunnableSequence.from([
        RunnableLambda.from((q: string) => q.toUpperCase()).withConfig({ runName: 'normalise' }),
        new FakeRetriever(),
      ]).withConfig({ runName: 'retrieve' });
      const outer = RunnableSequence.from([inner, RunnableLambda.from((docs: unknown[]) => docs.length).withConfig({ runName: 'count' })]);
      await expect(outer.invoke('question', { callbacks: [new AgentTimingCallbackHandler({ chainPhases: true })] })).resolves.toBe(2);
      const [b] = [...seen.byId.values()].flat();
      expect(Object.keys(b.phases).sort()).toEqual(['FakeRetriever', 'count', 'normalise', 'retrieve']);
      expect(b.databaseQueryMs).toBeGreaterThanOrEqual(0);
      const spans = recorder.spans();
      const retrieve = spans.find((s) => s.name === 'retrieve')!;
      for (const child of ['normalise', 'FakeRetriever']) {
        expect(spans.find((s) => s.name === child)!.parentSpanContext?.spanId).toBe(retrieve.spanContext().spanId);
      }
      expect(spans.find((s) => s.name === 'FakeRetriever')!.attributes['agent_timing.phase.category']).toBe('database_query');
    } finally {
      seen.stop();
    }
  });

  it('records a failing tool and a failing chain, and lets the error through unchanged', async () => {
    const seen = completions();
    const broken = tool(
      async () => {
        await sleep(2);
        throw new Error('tool broke');
      },
      { name: 'breaker', description: 'fails', schema: { type: 'object', properties: {} } },
    );
    try {
      const chain = RunnableSequence.from([RunnableLambda.from(() => ({})), broken]);
      await expect(chain.invoke(1, { callbacks: [new AgentTimingCallbackHandler()] })).rejects.toThrow('tool broke');
      const [b] = [...seen.byId.values()].flat();
      expect(b.outcome).toBe('error');
      expect(b.openPhases).toEqual([]);
      const spans = recorder.spans();
      expect(spans.find((s) => s.name === 'execute_tool breaker')!.status.code).toBe(SpanStatusCode.ERROR);
      expect(spans.find((s) => s.name === 'invoke_agent RunnableSequence')!.status.code).toBe(SpanStatusCode.ERROR);
    } finally {
      seen.stop();
    }
  });

  it('becomes phases of the current execution when invoked inside one', async () => {
    const seen = completions();
    try {
      const model = new FakeListChatModel({ responses: ['ok'] });
      const handler = new AgentTimingCallbackHandler();
      const b = await withExecution('host_agent', async (c) => {
        await sequence(model).invoke(1, { callbacks: [handler] });
        return c.getBreakdown();
      });
      expect([...seen.byId.values()].flat()).toHaveLength(1); // the host only
      expect(b.agentName).toBe('host_agent');
      expect(Object.keys(b.phases).sort()).toEqual(['FakeListChatModel', 'adder']);
      expect(b.toolExecutionMs).toBeGreaterThanOrEqual(14);
    } finally {
      seen.stop();
    }
  });

  it('keeps concurrent root runs apart', async () => {
    const seen = completions();
    try {
      const handler = new AgentTimingCallbackHandler();
      const model = new FakeListChatModel({ responses: ['a', 'b'], sleep: 1 });
      const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => sequence(model).invoke(i, { callbacks: [handler] })));
      expect(outs).toHaveLength(20);
      const all = [...seen.byId.values()].flat();
      expect(all).toHaveLength(20);
      for (const b of all) {
        expect(Object.keys(b.phases).sort()).toEqual(['FakeListChatModel', 'adder']);
        expect(b.phases.adder).toBeGreaterThanOrEqual(14);
        expect(b.phases.adder).toBeLessThanOrEqual(b.totalMs);
      }
      expect(handler.activeRunCount).toBe(0);
    } finally {
      seen.stop();
    }
  });

  it('never throws from callbacks, bounds its run table and shares it with copies', () => {
    const handler = new AgentTimingCallbackHandler({ maxRuns: 2 });
    expect(() => handler.handleChainStart(undefined, {}, undefined as never)).not.toThrow();
    expect(() => handler.handleLLMNewToken('x', { prompt: 0, completion: 0 }, 'unknown')).not.toThrow();
    expect(() => handler.handleToolEnd('x', 'unknown')).not.toThrow();
    expect(() => handler.handleChainError(new Error('x'), 42 as never)).not.toThrow();
    handler.handleChainStart({ id: ['x', 'A'] }, {}, 'r1');
    handler.handleChainStart({ id: ['x', 'B'] }, {}, 'r2');
    handler.handleChainStart({ id: ['x', 'C'] }, {}, 'r3');
    expect(handler.activeRunCount).toBe(2);
    expect(getDropCounts()['langchain-run-limit']).toBe(1);
    expect(getDropCounts()['langchain-invalid-run-id']).toBe(1);
    const copy = handler.copy() as AgentTimingCallbackHandler;
    copy.handleChainEnd({}, 'r1');
    expect(handler.activeRunCount).toBe(1);
    handler.handleChainEnd({}, 'r2');
    expect(copy.activeRunCount).toBe(0);
    expect(() => new AgentTimingCallbackHandler({ maxRuns: -1 })).toThrow(RangeError);
  });
});
