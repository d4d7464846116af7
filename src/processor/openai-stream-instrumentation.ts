import { context } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  isWrapped,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';
import { monotonicNow } from '../internal/clock';
import { scopeForSpan } from '../api/execution-scope';
import type { ExecutionState } from '../api/execution-state';
import { VERSION } from '../version';

/** What the openai module's streaming file exports that we patch. */
interface StreamModule {
  Stream?: { fromSSEResponse?: (...args: unknown[]) => unknown };
}

/**
 * TTFT for streaming calls through the `openai` client, with no wrapper in user code: the
 * execution's first token is the first chunk that carries text the user can see (a non-empty
 * `delta.content` or `delta.refusal` of Chat Completions, `text` of legacy Completions, a non-empty
 * `response.output_text.delta` / `response.refusal.delta` event of the Responses API). Empty
 * chunks, role-only chunks, usage chunks and tool-call chunks are not it.
 *
 * It patches `Stream.fromSSEResponse` of `openai` (4.x to 6.x), which every streaming call goes
 * through, and watches the stream it returns; the execution is the one current when the response
 * arrives (the call's context). It makes no spans: `@opentelemetry/instrumentation-openai` makes
 * the LLM span (and works with or without it). `startAgentTelemetry()` enables it by default;
 * with your own NodeSDK add `new OpenAIStreamInstrumentation()` to `instrumentations`. Like every
 * module instrumentation it must be registered before `openai` is loaded.
 */
export class OpenAIStreamInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    super('agent-timing/openai-stream', VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const patch = (exports: StreamModule): StreamModule => {
      const Stream = exports?.Stream;
      if (Stream && typeof Stream.fromSSEResponse === 'function') {
        if (isWrapped(Stream.fromSSEResponse)) this._unwrap(Stream, 'fromSSEResponse');
        this._wrap(Stream, 'fromSSEResponse', watchFromSSEResponse as never);
      }
      return exports;
    };
    const unpatch = (exports: StreamModule): void => {
      if (exports?.Stream && isWrapped(exports.Stream.fromSSEResponse)) this._unwrap(exports.Stream, 'fromSSEResponse');
    };
    const file = (name: string, versions: string[]) => new InstrumentationNodeModuleFile(name, versions, patch, unpatch);
    return [
      new InstrumentationNodeModuleDefinition('openai', ['>=4.0.0 <7'], undefined, undefined, [
        file('openai/core/streaming.js', ['>=5.0.0 <7']),
        file('openai/core/streaming.mjs', ['>=5.0.0 <7']),
        file('openai/streaming.js', ['>=4.0.0 <5']),
        file('openai/streaming.mjs', ['>=4.0.0 <5']),
      ]),
    ];
  }
}

type FromSSE = (this: unknown, ...args: unknown[]) => unknown;

function watchFromSSEResponse(original: FromSSE): FromSSE {
  return function fromSSEResponse(this: unknown, ...args: unknown[]): unknown {
    const stream = original.apply(this, args);
    try {
      watch(stream);
    } catch {
      // never break the client
    }
    return stream;
  };
}

/** Replaces the stream's `iterator` (which `[Symbol.asyncIterator]` and `tee()` call) by a watched one. */
function watch(stream: unknown): void {
  if (stream === null || typeof stream !== 'object') return;
  const scope = scopeForSpan(context.active());
  if (!scope || scope.state.ended) return;
  const s = stream as { iterator?: () => AsyncIterator<unknown> };
  const inner = s.iterator;
  if (typeof inner !== 'function') return;
  const state = scope.state;
  s.iterator = function iterator(this: unknown) {
    return watched(inner.call(this), state);
  };
}

async function* watched(inner: AsyncIterator<unknown>, state: ExecutionState): AsyncGenerator<unknown> {
  const iterable = { [Symbol.asyncIterator]: () => inner };
  let seen = false;
  for await (const chunk of iterable) {
    if (!seen && hasVisibleText(chunk)) {
      seen = true;
      if (!state.ended) state.noteFirstToken(monotonicNow());
    }
    yield chunk;
  }
}

/** Whether a streamed chunk carries text the user sees. Never throws. */
export function hasVisibleText(chunk: unknown): boolean {
  try {
    if (chunk === null || typeof chunk !== 'object') return false;
    const c = chunk as Record<string, unknown>;
    const choices = c.choices;
    if (Array.isArray(choices)) {
      for (const choice of choices as Record<string, unknown>[]) {
        const delta = choice?.delta as Record<string, unknown> | undefined;
        if (delta && (nonEmpty(delta.content) || nonEmpty(delta.refusal))) return true;
        if (nonEmpty(choice?.text)) return true; // legacy completions
      }
      return false;
    }
    const type = c.type;
    if (type === 'response.output_text.delta' || type === 'response.refusal.delta') return nonEmpty(c.delta);
    return false;
  } catch {
    return false;
  }
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}
