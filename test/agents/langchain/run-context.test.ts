import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import { BaseRetriever } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import { RunnableLambda } from '@langchain/core/runnables';
import { StructuredTool } from '@langchain/core/tools';
import { z } from 'zod';
import { AgentTimingCallbackHandler } from '../../../src/agents/langchain';
import { withExecution } from '../../../src/agents/context-helpers';
import { getDropCounts } from '../../../src/internal/diag';
import { sleep } from '../../support/time';
import { completions, spanRecorder } from '../support';
import { resetForTests } from '../../../src/setup/reset-for-tests';

/*
 * Spans made in the body of a tool, model or retriever run the handler timed are children of the
 * run's phase span (the run-context wrappers of run-context.ts), whatever kind of tool or model.
 * The client spans here come from a tracer of "another instrumentation", as an HTTP or database
 * client would make them: started from the active context at the time of the call.
 */

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

/** A client span like an instrumentation makes: from the active context, ended after `ms`. */
async function clientCall(name: string, attributes: Record<string, string>, ms: number): Promise<void> {
  const span: Span = trace.getTracer('some-client').startSpan(name, { kind: SpanKind.CLIENT, attributes });
  await sleep(ms);
  span.end();
}

const HTTP = { 'http.request.method': 'GET' };
const DB = { 'db.system.name': 'postgresql' };

/** A class-based tool (its own _call, no tool() helper and no runWithConfig around it). */
class LookupTool extends StructuredTool {
  name = 'lookup';
  description = 'looks something up over HTTP';
  schema = z.object({ q: z.string() });
  protected async _call({ q }: { q: string }): Promise<string> {
    await sleep(5);
    await clientCall(`GET /lookup/${q}`, HTTP, 30);
    return `found ${q}`;
  }
}

let streamsClosed = 0;

/** A chat model whose body calls its provider over HTTP, streaming or not. */
class HttpChatModel extends BaseChatModel {
  override _llmType(): string {
    return 'http-chat';
  }
  override async *_streamResponseChunks(_m: BaseMessage[], _o: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    try {
      await clientCall('POST /chat', { 'http.request.method': 'POST' }, 20);
      for (const t of ['hel', 'lo']) {
        const chunk = new ChatGenerationChunk({ message: new AIMessageChunk({ content: t }), text: t });
        yield chunk;
        await runManager?.handleLLMNewToken(t, undefined, undefined, undefined, undefined, { chunk });
      }
    } finally {
      streamsClosed++;
    }
  }
  async _generate(): Promise<ChatResult> {
    await clientCall('POST /chat', { 'http.request.method': 'POST' }, 20);
    return { generations: [{ message: new AIMessage('hello'), text: 'hello' }] };
  }
}

class SqlRetriever extends BaseRetriever {
  lc_namespace = ['test'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    await clientCall('SELECT docs', DB, 25);
    return [new Document({ pageContent: query })];
  }
}

function spanNamed(name: string) {
  const s = recorder.spans().find((x) => x.name === name);
  if (!s) throw new Error(`no span ${name}: ${recorder.spans().map((x) => x.name).join(', ')}`);
  return s;
}

function expectChild(child: string, parent: string): void {
  const c = spanNamed(child);
  const p = spanNamed(parent);
  expect(c.parentSpanContext?.spanId).toBe(p.spanContext().spanId);
  expect(c.spanContext().traceId).toBe(p.spanContext().traceId);
}

describe('run context: spans inside runs the handler timed are children of the run phase', () => {
  it('a class-based tool: its HTTP span is under execute_tool and counts as external_api', async () => {
    const seen = completions();
    try {
      const chain = RunnableLambda.from(async (q: string, config) => new LookupTool().invoke({ q }, config));
      await expect(chain.invoke('x', { callbacks: [new AgentTimingCallbackHandler()] })).resolves.toBe('found x');
      // a class-based tool is named after its class (LangChain passes no run name for it)
      expectChild('GET /lookup/x', 'execute_tool LookupTool');
      const [b] = [...seen.byId.values()].flat();
      expect(b.externalApiMs).toBeGreaterThanOrEqual(29);
      expect(b.toolExecutionMs).toBeGreaterThanOrEqual(4);
      expect(b.foreignSpanCount).toBe(1);
    } finally {
      seen.stop();
    }
  });

  it('a chat model under invoke() and stream(): the provider call is under the model phase and stays llm time', async () => {
    const seen = completions();
    try {
      const model = new HttpChatModel({});
      const handler = new AgentTimingCallbackHandler({ agentName: 'chat' });
      await model.invoke('hi', { callbacks: [handler] });
      let text = '';
      for await (const c of await model.stream('hi', { callbacks: [handler] })) text += String(c.content);
      expect(text).toBe('hello');
      const spans = recorder.spans();
      const chats = spans.filter((s) => s.name === 'POST /chat');
      const phases = spans.filter((s) => s.name === 'HttpChatModel');
      expect(chats).toHaveLength(2);
      expect(phases).toHaveLength(2);
      for (const c of chats) expect(phases.map((p) => p.spanContext().spanId)).toContain(c.parentSpanContext?.spanId);
      const all = [...seen.byId.values()].flat();
      expect(all).toHaveLength(2);
      for (const b of all) {
        expect(b.externalApiMs).toBe(0); // the provider's HTTP inside the model is the model's time
        expect(b.llmProcessingMs).toBeGreaterThanOrEqual(19);
      }
      expect(all.filter((b) => b.ttftMs !== undefined)).toHaveLength(1); // the streamed one
    } finally {
      seen.stop();
    }
  });

  it('a retriever: its database span is under the retriever phase', async () => {
    const seen = completions();
    try {
      await new SqlRetriever().invoke('q', { callbacks: [new AgentTimingCallbackHandler()] });
      expectChild('SELECT docs', 'SqlRetriever');
      const [b] = [...seen.byId.values()].flat();
      expect(b.databaseQueryMs).toBeGreaterThanOrEqual(24);
    } finally {
      seen.stop();
    }
  });

  it('concurrent tool calls keep their spans apart; inside withExecution everything is one trace', async () => {
    const handler = new AgentTimingCallbackHandler();
    const b = await withExecution('host', async (c) => {
      const tool = new LookupTool();
      await Promise.all(['a', 'b', 'c'].map((q) => tool.invoke({ q }, { callbacks: [handler], runName: `lookup_${q}` })));
      return c.getBreakdown();
    });
    const host = spanNamed('invoke_agent host');
    for (const q of ['a', 'b', 'c']) {
      expectChild(`GET /lookup/${q}`, `execute_tool lookup_${q}`);
      expect(spanNamed(`execute_tool lookup_${q}`).parentSpanContext?.spanId).toBe(host.spanContext().spanId);
    }
    expect(b.externalApiMs).toBeGreaterThanOrEqual(29);
    expect(getDropCounts()).toEqual({});
  });

  it('two handlers of ours on one run: the first handler phase is the parent, nothing is poisoned', async () => {
    const seen = completions();
    try {
      await new LookupTool().invoke({ q: 'two' }, { callbacks: [new AgentTimingCallbackHandler({ agentName: 'first' }), new AgentTimingCallbackHandler({ agentName: 'second' })] });
      const toolSpans = recorder.spans().filter((s) => s.name === 'execute_tool LookupTool');
      expect(toolSpans).toHaveLength(2);
      expect(toolSpans.map((s) => s.spanContext().spanId)).toContain(spanNamed('GET /lookup/two').parentSpanContext?.spanId);
      expect([...seen.byId.values()].flat()).toHaveLength(2);
    } finally {
      seen.stop();
    }
  });

  it('without our handler the wrapped methods change nothing: spans keep the caller as parent', async () => {
    const outer = trace.getTracer('app').startSpan('request');
    await context.with(trace.setSpan(context.active(), outer), async () => {
      await new LookupTool().invoke({ q: 'plain' });
      await new HttpChatModel({}).invoke('hi');
    });
    outer.end();
    expectChild('GET /lookup/plain', 'request');
    expectChild('POST /chat', 'request');
  });

  it('a batch of prompts in one call cannot be told apart: its spans keep the caller as parent, nothing throws', async () => {
    const seen = completions();
    try {
      const handler = new AgentTimingCallbackHandler({ agentName: 'batch' });
      const outer = trace.getTracer('app').startSpan('request');
      const res = await context.with(trace.setSpan(context.active(), outer), () => new HttpChatModel({}).generate([['a'], ['b']], { callbacks: [handler] }));
      outer.end();
      expect(res.generations).toHaveLength(2);
      for (const s of recorder.spans().filter((x) => x.name === 'POST /chat')) expect(s.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
      expect(handler.activeRunCount).toBe(0);
    } finally {
      seen.stop();
    }
  });

  it('an early break from a streamed model still closes the model generator (through the wrapper)', async () => {
    const handler = new AgentTimingCallbackHandler();
    const before = streamsClosed;
    for await (const chunk of await new HttpChatModel({}).stream('hi', { callbacks: [handler] })) {
      expect(chunk.content).toBe('hel');
      break;
    }
    expect(streamsClosed).toBe(before + 1);
    // under the model's phase span (still open: see below), not a root
    expect(spanNamed('POST /chat').parentSpanContext?.spanId).toBeDefined();
    // LangChain itself sends no end callback for an abandoned stream: the run stays open until the
    // execution is evicted as abandoned (or its root ends), as without agent-timing.
  });
});
