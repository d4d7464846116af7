import { hasVisibleText } from '../../src/processor/openai-stream-instrumentation';

const chat = (delta: Record<string, unknown>) => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] });

describe('what counts as the first token of an openai stream', () => {
  it('counts non-empty content and refusal deltas, legacy completion text and Responses text deltas', () => {
    expect(hasVisibleText(chat({ content: 'Hi' }))).toBe(true);
    expect(hasVisibleText(chat({ refusal: 'I cannot' }))).toBe(true);
    expect(hasVisibleText({ choices: [{ index: 0, text: 'Hi' }] })).toBe(true);
    expect(hasVisibleText({ type: 'response.output_text.delta', delta: 'Hi' })).toBe(true);
    expect(hasVisibleText({ type: 'response.refusal.delta', delta: 'No' })).toBe(true);
    // a later choice with text
    expect(hasVisibleText({ choices: [{ index: 0, delta: {} }, { index: 1, delta: { content: 'x' } }] })).toBe(true);
  });

  it('does not count empty, role-only, tool-call, usage or other event chunks, nor junk', () => {
    expect(hasVisibleText(chat({ role: 'assistant', content: '' }))).toBe(false);
    expect(hasVisibleText(chat({ role: 'assistant' }))).toBe(false);
    expect(hasVisibleText(chat({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '' } }] }))).toBe(false);
    expect(hasVisibleText(chat({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }))).toBe(false);
    expect(hasVisibleText({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } })).toBe(false);
    expect(hasVisibleText({ type: 'response.output_text.delta', delta: '' })).toBe(false);
    expect(hasVisibleText({ type: 'response.function_call_arguments.delta', delta: '{"a"' })).toBe(false);
    expect(hasVisibleText({ type: 'response.created' })).toBe(false);
    for (const junk of [null, undefined, 1, 'text', { choices: [null] }, { choices: [{ delta: { content: 5 } }] }]) expect(hasVisibleText(junk)).toBe(false);
    const hostile = { get choices(): unknown { throw new Error('boom'); } };
    expect(hasVisibleText(hostile)).toBe(false);
  });
});
