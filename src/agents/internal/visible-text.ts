/*
 * What counts as the first token: the first chunk carrying text a user could see. Empty strings,
 * whitespace-only text, and chunks that only carry a tool call (the intermediate step of an agent
 * that decides to call a tool), a role, usage or a lifecycle event are not. Shared by
 * instrumentStream() and the LangChain handler; never throws (hostile getters read as no text).
 *
 * Shapes recognized (the text they yield):
 * - a string: itself;
 * - an OpenAI chat-completions chunk (`choices` array): every `choices[i].delta.content` (and
 *   `choices[i].text` of the legacy completions API) — `delta.tool_calls` and `delta.role` are not text;
 * - an object with a string `type` — AI SDK stream parts, OpenAI Responses and Anthropic events:
 *   `text-delta` (`text`, or `textDelta` / `delta` of older AI SDK versions), `text` (`text`),
 *   `response.output_text.delta` (`delta`), `content_block_delta` with a `text_delta` (`delta.text`);
 *   every other type (`start`, `tool-call`, `tool-input-delta`, `reasoning-delta`, `message_start`…)
 *   has none;
 * - a LangChain message or message chunk (`content` with `tool_call_chunks`, `tool_calls` or
 *   `lc_kwargs`), a ChatGenerationChunk (`message`), a LangGraph `[message, metadata]` pair of
 *   streamMode 'messages': the message's `content` — a string, or the `text` of its `text`
 *   content blocks (tool_use / input_json_delta blocks are not text);
 * - any other object with a string `text`, `content` or `delta`: that string.
 * Anything else is of unknown shape: undefined (callers decide; instrumentStream counts a
 * non-empty unknown chunk, so streams of custom objects keep a TTFT).
 */

function get(o: unknown, key: string): unknown {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return undefined;
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Text of a LangChain message `content`: a string or an array of content blocks. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let text = '';
  const n = Math.min(content.length, 64);
  for (let i = 0; i < n; i++) {
    const block: unknown = content[i];
    if (typeof block === 'string') text += block;
    else if (get(block, 'type') === 'text' || get(block, 'type') === 'text_delta') text += str(get(block, 'text')) ?? '';
  }
  return text;
}

function isMessageLike(o: unknown): boolean {
  return get(o, 'content') !== undefined && (get(o, 'tool_call_chunks') !== undefined || get(o, 'tool_calls') !== undefined || get(o, 'lc_kwargs') !== undefined);
}

function typedPartText(o: unknown, type: string): string {
  switch (type) {
    case 'text-delta':
      return str(get(o, 'text')) ?? str(get(o, 'textDelta')) ?? str(get(o, 'delta')) ?? '';
    case 'text':
      return str(get(o, 'text')) ?? '';
    case 'response.output_text.delta':
      return str(get(o, 'delta')) ?? '';
    case 'content_block_delta': {
      const d = get(o, 'delta');
      return get(d, 'type') === 'text_delta' ? (str(get(d, 'text')) ?? '') : '';
    }
    default:
      return '';
  }
}

/** The visible text a chunk carries ('' for a known shape without any), undefined for an unknown shape. */
export function chunkText(chunk: unknown): string | undefined {
  if (typeof chunk === 'string') return chunk;
  if (chunk === null || typeof chunk !== 'object') return undefined;
  if (Array.isArray(chunk)) {
    // LangGraph streamMode 'messages': [message, metadata]
    return chunk.length === 2 && isMessageLike(chunk[0]) ? (contentText(get(chunk[0], 'content')) ?? '') : undefined;
  }
  const choices = get(chunk, 'choices');
  if (Array.isArray(choices)) {
    let text = '';
    const n = Math.min(choices.length, 16);
    for (let i = 0; i < n; i++) {
      const c: unknown = choices[i];
      text += str(get(get(c, 'delta'), 'content')) ?? str(get(c, 'text')) ?? '';
    }
    return text;
  }
  if (isMessageLike(chunk)) return contentText(get(chunk, 'content')) ?? '';
  const message = get(chunk, 'message');
  if (isMessageLike(message)) return contentText(get(message, 'content')) ?? '';
  const type = get(chunk, 'type');
  if (typeof type === 'string') return typedPartText(chunk, type);
  return str(get(chunk, 'text')) ?? str(get(chunk, 'content')) ?? str(get(chunk, 'delta'));
}

const NON_SPACE = /\S/;

/** True when the text has something to see (not empty, not only whitespace). */
export function hasVisibleText(text: string): boolean {
  return NON_SPACE.test(text);
}

/**
 * instrumentStream's rule: a chunk of a known shape counts when its text is visible; a chunk of
 * unknown shape counts unless it is empty (null, undefined, an empty byte array).
 */
export function isVisibleChunk(chunk: unknown): boolean {
  const text = chunkText(chunk);
  if (text !== undefined) return hasVisibleText(text);
  if (chunk === null || chunk === undefined) return false;
  if (ArrayBuffer.isView(chunk)) return chunk.byteLength > 0;
  return true;
}

/**
 * The LangChain handler's rule for handleLLMNewToken(token, …, fields): the chunk in `fields`
 * decides when its shape is known (a ChatGenerationChunk's message content, a GenerationChunk's
 * text), else the token string. The empty token of a tool-call chunk never counts.
 */
export function isVisibleToken(token: unknown, fields: unknown): boolean {
  const chunk = get(fields, 'chunk');
  if (chunk !== undefined) {
    const text = chunkText(chunk);
    if (text !== undefined) return hasVisibleText(text);
  }
  return typeof token === 'string' && hasVisibleText(token);
}
