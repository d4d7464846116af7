import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * Where other instrumentations put the time to an LLM call's first output chunk. Each entry: the
 * attribute and its unit (ms per second). The offsets are from the start of the call's span.
 */
const FIRST_CHUNK_ATTRIBUTES: readonly (readonly [string, number])[] = [
  ['gen_ai.response.time_to_first_chunk', 1000], // GenAI conventions, seconds
  ['gen_ai.client.operation.time_to_first_chunk', 1000], // AI SDK 7 (@ai-sdk/otel), seconds
  ['ai.response.msToFirstChunk', 1], // AI SDK 6 streamText doStream, ms
  ['ai.stream.msToFirstChunk', 1], // AI SDK 6 streamObject, ms
];

/** Span events that mark the first output chunk at their own time. */
const FIRST_CHUNK_EVENTS: ReadonlySet<string> = new Set([
  'ai.stream.firstChunk', // AI SDK
  'First Token Stream Event', // OpenInference
  'gen_ai.first_token', // agent-timing's own event (an execution nested in another's trace)
]);

const TOOL_FINISH = new Set(['tool-calls', 'tool_calls', 'tool_call', 'tool_use', 'function_call']);

/**
 * Ms from the start of an LLM span to its first *visible* output chunk, if the span reports one;
 * undefined otherwise. A call that only asked for tools (finish reason tool calls and no text
 * output recorded) made nothing the user could see: its first chunk is not the first token.
 */
export function firstChunkOffsetMs(span: ReadableSpan): number | undefined {
  const attributes = span.attributes;
  if (onlyCalledTools(attributes)) return undefined;
  for (const [key, scale] of FIRST_CHUNK_ATTRIBUTES) {
    const v = attributes[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v * scale;
  }
  const events = span.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!FIRST_CHUNK_EVENTS.has(e.name)) continue;
    const offset = hrMs(e.time) - hrMs(span.startTime);
    if (Number.isFinite(offset) && offset >= 0) return offset;
  }
  return undefined;
}

function onlyCalledTools(a: Attributes): boolean {
  const aiFinish = a['ai.response.finishReason'];
  const finish = typeof aiFinish === 'string' ? [aiFinish] : a['gen_ai.response.finish_reasons'];
  if (!Array.isArray(finish) || finish.length === 0) return false;
  if (!finish.every((f) => typeof f === 'string' && TOOL_FINISH.has(f))) return false;
  // Text beside the tool call (recorded outputs) is visible: then the first chunk counts.
  const text = a['ai.response.text'];
  if (typeof text === 'string' && text.length > 0) return false;
  const messages = a['gen_ai.output.messages'];
  if (typeof messages === 'string' && /"type"\s*:\s*"text"\s*,\s*"content"\s*:\s*"[^"]/.test(messages)) return false;
  return true;
}

function hrMs(t: readonly [number, number]): number {
  return t[0] * 1000 + t[1] / 1e6;
}
