import { AIMessageChunk } from '@langchain/core/messages';
import { ChatGenerationChunk, GenerationChunk } from '@langchain/core/outputs';
import { withExecution } from '../../src/agents/context-helpers';
import { instrumentStream } from '../../src/agents/instrument-stream';
import { chunkText, isVisibleChunk, isVisibleToken } from '../../src/agents/internal/visible-text';
import { getDropCounts } from '../../src/internal/diag';
import { sleep } from '../support/time';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('what counts as the first token', () => {
  it.each<[string, unknown, boolean]>([
    ['a string', 'Hi', true],
    ['an empty string', '', false],
    ['whitespace only', ' \n', false],
    ['OpenAI chunk with content', { choices: [{ index: 0, delta: { content: 'Hi' } }] }, true],
    ['OpenAI role-only first chunk', { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }, false],
    ['OpenAI tool-call chunk', { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] } }] }, false],
    ['OpenAI usage-only chunk', { choices: [], usage: { total_tokens: 3 } }, false],
    ['AI SDK text-delta', { type: 'text-delta', id: '1', text: 'Hi' }, true],
    ['AI SDK 4 text-delta', { type: 'text-delta', textDelta: 'Hi' }, true],
    ['AI SDK empty text-delta', { type: 'text-delta', id: '1', text: '' }, false],
    ['AI SDK start-step', { type: 'start-step' }, false],
    ['AI SDK tool-input-delta', { type: 'tool-input-delta', id: '1', delta: '{"city"' }, false],
    ['AI SDK reasoning-delta', { type: 'reasoning-delta', id: '1', text: 'thinking' }, false],
    ['OpenAI Responses text delta', { type: 'response.output_text.delta', delta: 'Hi' }, true],
    ['Anthropic text delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }, true],
    ['Anthropic tool input delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{' } }, false],
    ['LangChain AIMessageChunk', new AIMessageChunk({ content: 'Hi' }), true],
    ['LangChain tool-call chunk', new AIMessageChunk({ content: '', tool_call_chunks: [{ name: 'w', args: '{}', id: '1', index: 0, type: 'tool_call_chunk' }] }), false],
    ['LangChain content blocks', new AIMessageChunk({ content: [{ type: 'text', text: 'Hi' }] }), true],
    ['LangChain tool_use block only', new AIMessageChunk({ content: [{ type: 'tool_use', id: '1', name: 'w', input: {} }] }), false],
    ['LangGraph [message, metadata]', [new AIMessageChunk({ content: 'Hi' }), { langgraph_node: 'agent' }], true],
    ['LangGraph tool-call pair', [new AIMessageChunk({ content: '' }), { langgraph_node: 'agent' }], false],
    ['an unknown object', { foo: 1 }, true],
    ['bytes', new TextEncoder().encode('data: x\n\n'), true],
    ['empty bytes', new Uint8Array(0), false],
    ['null', null, false],
  ])('%s', (_name, chunk, visible) => {
    expect(isVisibleChunk(chunk)).toBe(visible);
  });

  it('reads hostile objects as no text, never throws', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(() => chunkText(hostile)).not.toThrow();
    expect(isVisibleChunk(hostile)).toBe(true); // unknown shape, not empty
  });

  it("the handler's rule: the chunk decides when its shape is known, else the token", () => {
    const toolCall = new ChatGenerationChunk({ message: new AIMessageChunk({ content: '', tool_call_chunks: [{ name: 'w', args: '{"a":1}', index: 0, type: 'tool_call_chunk' }] }), text: '' });
    expect(isVisibleToken('', { chunk: toolCall })).toBe(false);
    expect(isVisibleToken('{"a":1}', { chunk: toolCall })).toBe(false); // args streamed as a token are not text
    expect(isVisibleToken('Hi', { chunk: new ChatGenerationChunk({ message: new AIMessageChunk({ content: 'Hi' }), text: 'Hi' }) })).toBe(true);
    expect(isVisibleToken('Hi', { chunk: new GenerationChunk({ text: 'Hi' }) })).toBe(true);
    expect(isVisibleToken('Hi', undefined)).toBe(true);
    expect(isVisibleToken('', undefined)).toBe(false);
    expect(isVisibleToken(undefined, {})).toBe(false);
  });
});

async function* parts(): AsyncGenerator<unknown> {
  yield { type: 'start' };
  await sleep(30);
  yield { type: 'tool-input-delta', id: '1', delta: '{}' };
  await sleep(30);
  yield { type: 'text-delta', id: '2', text: '' };
  await sleep(30);
  yield { type: 'text-delta', id: '2', text: 'Hello' };
}

describe('instrumentStream takes TTFT at the first visible chunk', () => {
  it('skips lifecycle, tool-call and empty parts', async () => {
    let started = 0;
    let firstText = 0;
    const b = await withExecution('s', async (c) => {
      started = performance.now();
      for await (const p of instrumentStream(parts())) if ((p as { text?: string }).text) firstText = performance.now();
      return c;
    }).then((c) => c.getBreakdown());
    expect(b.ttftMs).toBeDefined();
    expect(b.ttftMs!).toBeGreaterThanOrEqual(85);
    expect(Math.abs(b.ttftMs! - (firstText - started))).toBeLessThanOrEqual(40);
  });

  it('an isVisible option decides instead; if it throws, the built-in rule decides and the drop is counted', async () => {
    const withOption = await withExecution('s', async (c) => {
      for await (const _ of instrumentStream(parts(), { isVisible: (p) => (p as { type: string }).type === 'start' })) void _;
      return c;
    }).then((c) => c.getBreakdown());
    expect(withOption.ttftMs!).toBeLessThan(25);

    const throwing = await withExecution('s', async (c) => {
      const isVisible = (): boolean => {
        throw new Error('bad predicate');
      };
      for await (const _ of instrumentStream(parts(), { isVisible })) void _;
      return c;
    }).then((c) => c.getBreakdown());
    expect(throwing.ttftMs!).toBeGreaterThanOrEqual(85);
    expect(getDropCounts()['stream-is-visible-threw']).toBe(4);
  });

  it('no visible chunk at all: no TTFT', async () => {
    async function* toolOnly(): AsyncGenerator<unknown> {
      yield { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] };
      yield { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'w', arguments: '{}' } }] } }] };
    }
    const b = await withExecution('s', async (c) => {
      for await (const _ of instrumentStream(toolOnly())) void _;
      return c;
    }).then((c) => c.getBreakdown());
    expect(b.ttftMs).toBeUndefined();
  });
});
