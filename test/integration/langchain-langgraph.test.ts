import { context, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import { tool } from '@langchain/core/tools';
// The project type-checks with moduleResolution node10, which cannot see the `prebuilt` subpath
// export; the module is loaded by path-less require (jest resolves the export map) and typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createReactAgent } = require('@langchain/langgraph/prebuilt') as typeof import('../../node_modules/@langchain/langgraph/dist/prebuilt/index.js');
import { z } from 'zod';
import { AgentTimingCallbackHandler } from '../../src/agents/langchain';
import { withExecution } from '../../src/agents/context-helpers';
import { getDropCounts } from '../../src/internal/diag';
import type { TimingBreakdown } from '../../src/breakdown/timing-breakdown';
import { completions, spanRecorder } from '../agents/support';
import { startLoopbackServer } from '../support/loopback-server';
import { categorySum, sleep } from '../support/time';
import { resetForTests } from '../../src/setup/reset-for-tests';

/*
 * LangGraph createReactAgent with a scripted streaming chat model (step 1 streams a tool call,
 * step 2 streams text) and a tool that fetches a loopback URL answering after 150 ms, under a
 * registered tracer provider with the undici instrumentation, streamMode 'messages'. Every
 * figure is checked against truth measured independently with performance.now() in the model,
 * the tool and around the fetch. Tolerances are for a loaded 2-core machine: max(25 ms, 15 %).
 */

const recorder = spanRecorder();
let unregister: () => void;
let server: Awaited<ReturnType<typeof startLoopbackServer>>;
/** The loopback server answers the tool's fetch after 150 ms. */
const FETCH_DELAY_MS = 150;
const FETCH_FLOOR_MS = FETCH_DELAY_MS - 5;

beforeAll(async () => {
  recorder.provider.register();
  unregister = registerInstrumentations({ tracerProvider: recorder.provider, instrumentations: [new UndiciInstrumentation()] });
  server = await startLoopbackServer(undefined, FETCH_DELAY_MS);
  // Node loads its fetch implementation on the first call (~100-300 ms, before any span starts):
  // not part of what the tests measure.
  await (await fetch(`${server.url}/warm-up`)).text();
  // The first LangGraph run in a process compiles and loads lazily (~1 s on a busy machine): a
  // cold start, not the steady state measured here.
  resetTruth();
  for (const callbacks of [[], [new AgentTimingCallbackHandler()]]) {
    for await (const _ of await agent().stream({ messages: [{ role: 'user', content: 'warm up' }] }, { streamMode: 'messages', callbacks })) void _;
  }
});
afterAll(async () => {
  unregister();
  await server.close();
  await recorder.provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => {
  recorder.exporter.reset();
  resetForTests();
});

/** What really happened in one run, measured where it happened. */
interface Truth {
  modelMs: number;
  toolOwnMs: number;
  fetchMs: number;
  /** performance.now() when the first visible text chunk was emitted. */
  firstTextAt: number | undefined;
  /** performance.now() when the (empty) tool-call chunk was emitted. */
  toolCallChunkAt: number | undefined;
}

let truth: Truth;
function resetTruth(): void {
  truth = { modelMs: 0, toolOwnMs: 0, fetchMs: 0, firstTextAt: undefined, toolCallChunkAt: undefined };
}

/**
 * A chat model that streams on timers: with no tool result in the conversation yet it streams one
 * tool-call chunk (empty content, as real providers do) after 120 ms; after the tool ran it streams
 * text, first token after 90 ms, then one every 25 ms.
 */
class ScriptedChatModel extends BaseChatModel {
  override _llmType(): string {
    return 'scripted';
  }

  override bindTools(): this {
    return this;
  }

  override async *_streamResponseChunks(messages: BaseMessage[], _options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    const started = performance.now();
    try {
      const toolDone = messages.some((m) => m.getType() === 'tool');
      if (!toolDone) {
        await sleep(120);
        const message = new AIMessageChunk({
          content: '',
          tool_call_chunks: [{ name: 'weather', args: JSON.stringify({ city: 'Paris' }), id: 'call_1', index: 0, type: 'tool_call_chunk' }],
        });
        const chunk = new ChatGenerationChunk({ message, text: '' });
        truth.toolCallChunkAt ??= performance.now();
        yield chunk;
        await runManager?.handleLLMNewToken('', undefined, undefined, undefined, undefined, { chunk });
        return;
      }
      await sleep(90);
      for (const [i, token] of ['It ', 'is ', 'sunny ', 'in ', 'Paris.'].entries()) {
        if (i > 0) await sleep(25);
        const chunk = new ChatGenerationChunk({ message: new AIMessageChunk({ content: token }), text: token });
        truth.firstTextAt ??= performance.now();
        yield chunk;
        await runManager?.handleLLMNewToken(token, undefined, undefined, undefined, undefined, { chunk });
      }
    } finally {
      truth.modelMs += performance.now() - started;
    }
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    let final: ChatGenerationChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) final = final ? final.concat(chunk) : chunk;
    return { generations: final ? [final] : [{ message: new AIMessage(''), text: '' }] };
  }
}

const weather = tool(
  async ({ city }: { city: string }) => {
    const started = performance.now();
    await sleep(40);
    const fetchStarted = performance.now();
    const res = await fetch(`${server.url}/weather?city=${encodeURIComponent(city)}`);
    const body = await res.text();
    truth.fetchMs += performance.now() - fetchStarted;
    truth.toolOwnMs += fetchStarted - started;
    return `${city}: ${body}`;
  },
  { name: 'weather', description: 'the weather in a city', schema: z.object({ city: z.string() }) },
);

function agent() {
  return createReactAgent({ llm: new ScriptedChatModel({}), tools: [weather] });
}

/** Streams one agent run (streamMode 'messages'), returning the text the user saw. */
async function run(handler: AgentTimingCallbackHandler, graph: ReturnType<typeof agent>): Promise<string> {
  let text = '';
  const stream = await graph.stream({ messages: [{ role: 'user', content: 'Weather in Paris?' }] }, { callbacks: [handler], streamMode: 'messages' });
  for await (const [message] of stream) {
    if (message.getType() === 'ai' && typeof message.content === 'string') text += message.content;
  }
  return text;
}

/** Within max(25 ms, 15 %) of the truth — 15 % of `of` when a figure is a share of a larger call. */
function near(actual: number, expected: number, of = expected): void {
  const tolerance = Math.max(25, 0.15 * of);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
}

function checkBreakdown(b: TimingBreakdown, startedAt: number): void {
  // The fetch span lies inside the truth measured around it, and lasts at least the server's 150 ms
  // delay (a timer counted from libuv's cached loop clock: 5 ms allowed). Not near() the truth: that
  // also holds the wait for a CPU after the response (47.9 ms apart at load average 25, issue 13).
  expect(b.externalApiMs).toBeGreaterThanOrEqual(FETCH_FLOOR_MS);
  expect(b.externalApiMs).toBeLessThanOrEqual(truth.fetchMs + 1);
  // The tool's own time and its fetch split one call at the fetch span's end; the tool's code sees
  // the response only when the (busy) event loop gets to it, so the split is judged against the call.
  near(b.toolExecutionMs, truth.toolOwnMs, truth.toolOwnMs + truth.fetchMs);
  near(b.toolExecutionMs + b.externalApiMs, truth.toolOwnMs + truth.fetchMs);
  near(b.llmProcessingMs, truth.modelMs);
  expect(b.ttftMs).toBeDefined();
  // TTFT is the first visible text, not the empty tool-call chunk that came ~300 ms earlier.
  expect(Math.abs(b.ttftMs! - (truth.firstTextAt! - startedAt))).toBeLessThanOrEqual(40);
  expect(b.ttftMs!).toBeGreaterThan(truth.toolCallChunkAt! - startedAt + 100);
  expect(b.uncategorizedMs).toBeLessThan(0.15 * b.totalMs);
  expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);
}

/** The fetch's span: CLIENT, a child of the weather tool's phase span, in the execution's trace. */
function checkFetchSpan(): void {
  const spans = recorder.spans();
  const toolSpan = spans.find((s) => s.name === 'execute_tool weather');
  const fetchSpan = spans.find((s) => s.attributes['http.request.method'] === 'GET' && String(s.attributes['url.full']).includes('/weather'));
  expect(toolSpan).toBeDefined();
  expect(fetchSpan).toBeDefined();
  expect(fetchSpan!.parentSpanContext?.spanId).toBe(toolSpan!.spanContext().spanId);
  expect(fetchSpan!.spanContext().traceId).toBe(toolSpan!.spanContext().traceId);
  const root = spans.find((s) => s.name.startsWith('invoke_agent '));
  expect(root?.spanContext().traceId).toBe(toolSpan!.spanContext().traceId);
}

describe('LangGraph createReactAgent with the handler: context, categories and TTFT against truth', () => {
  it('handler alone: the fetch inside the tool is external_api under the tool, TTFT is the first text', async () => {
    const seen = completions();
    try {
      resetTruth();
      const handler = new AgentTimingCallbackHandler({ agentName: 'weather-agent' });
      const graph = agent();
      const startedAt = performance.now();
      const text = await run(handler, graph);
      expect(text).toContain('sunny');
      expect(handler.activeRunCount).toBe(0);
      const all = [...seen.byId.values()].flat();
      expect(all).toHaveLength(1);
      const b = all[0];
      expect(b.agentName).toBe('weather-agent');
      expect(b.foreignSpanCount).toBeGreaterThanOrEqual(1);
      checkBreakdown(b, startedAt);
      checkFetchSpan();
      expect(getDropCounts()).toEqual({});
    } finally {
      seen.stop();
    }
  });

  it('inside withExecution: the agent is a phase of the execution, with the same figures', async () => {
    const seen = completions();
    try {
      resetTruth();
      const handler = new AgentTimingCallbackHandler();
      const graph = agent();
      let startedAt = 0;
      const text = await withExecution('outer', async () => {
        startedAt = performance.now();
        return run(handler, graph);
      });
      expect(text).toContain('sunny');
      const all = [...seen.byId.values()].flat();
      expect(all).toHaveLength(1);
      const b = all[0];
      expect(b.agentName).toBe('outer');
      checkBreakdown(b, startedAt);
      checkFetchSpan();
      const spans = recorder.spans();
      const outer = spans.find((s) => s.name === 'invoke_agent outer')!;
      const toolSpan = spans.find((s) => s.name === 'execute_tool weather')!;
      expect(toolSpan.spanContext().traceId).toBe(outer.spanContext().traceId);
      expect(getDropCounts()).toEqual({});
    } finally {
      seen.stop();
    }
  });
});
