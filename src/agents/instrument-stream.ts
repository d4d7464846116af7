import type { Attributes, Meter } from '@opentelemetry/api';
import { monotonicNow } from '../internal/clock';
import { componentLogger, reportDrop } from '../internal/diag';
import { cleanName } from '../internal/sanitize';
import { ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK } from '../spans/semconv';
import type { EnhancedExecutionTimingCollector } from '../api/collector';
import type { PhaseTimer } from '../api/phase-timer';
import { currentCollector } from './context-helpers';
import { chunkAttributes, recordChunkInterval } from './internal/chunk-metrics';
import { stopTimer } from './internal/core-hooks';
import { isVisibleChunk } from './internal/visible-text';

/** Span attribute on a stream's phase: how it ended (`completed`, `cancelled`, `aborted` or `error`). */
export const ATTR_STREAM_OUTCOME = 'agent_timing.stream.outcome';
/** Span attribute on a stream's phase: how many chunks it delivered. */
export const ATTR_STREAM_CHUNKS = 'agent_timing.stream.chunks';

/** How a stream's phase ended. */
export type StreamOutcome = 'completed' | 'cancelled' | 'aborted' | 'error';

/** Options of instrumentStream(). */
export interface InstrumentStreamOptions {
  /** Execution the stream belongs to. Default: currentCollector() when instrumentStream() is called;
   *  with none, the stream is returned untouched. */
  collector?: EnhancedExecutionTimingCollector;
  /** Name of the phase (its category is always `llm_processing`). Default `llm_processing`. */
  name?: string;
  /** Extra phase metadata (span attributes, redacted like any phase metadata). */
  metadata?: Record<string, unknown>;
  /** When it aborts, the phase ends (outcome `aborted`); the stream itself is left to its source. */
  signal?: AbortSignal;
  /** `gen_ai.operation.name` on the time-per-chunk histogram. Default `chat`. */
  operationName?: string;
  /** `gen_ai.provider.name` on the time-per-chunk histogram (e.g. `openai`). Default: none. */
  providerName?: string;
  /** `gen_ai.request.model` on the time-per-chunk histogram. Default: none. */
  requestModel?: string;
  /** Meter for the time-per-chunk histogram. Default: the global provider's `agent-timing` meter. */
  meter?: Meter;
  /**
   * Whether a chunk carries text the user sees; TTFT is taken at the first that does. Default:
   * the built-in rule (docs/langchain.md, "What counts as the first token"): text of strings,
   * OpenAI chunks (`choices[].delta.content`), AI SDK `text-delta` parts, Anthropic and OpenAI
   * Responses text deltas and LangChain message chunks, when not empty or only whitespace; a
   * tool-call-only chunk never counts; a chunk of unknown shape counts unless empty. If the
   * function throws, the built-in rule decides that chunk.
   */
  isVisible?: (chunk: unknown) => boolean;
}

const log = componentLogger('stream');
const LLM_PROCESSING = 'llm_processing';

interface ResolvedStreamOptions {
  collector: EnhancedExecutionTimingCollector;
  name: string;
  metadata: Record<string, unknown> | undefined;
  signal: AbortSignal | undefined;
  attributes: Attributes;
  meter: Meter | undefined;
  isVisible: ((chunk: unknown) => boolean) | undefined;
}

/**
 * The timing of one pass over a stream: the phase from the first pull to the end, TTFT at the
 * first chunk with visible text, the time between chunks. Ends at most once, whatever ends it first.
 */
class StreamTiming {
  private state: 'idle' | 'running' | 'ended' = 'idle';
  private timer: PhaseTimer | undefined;
  private chunks = 0;
  private startedAt = 0;
  private lastAt = 0;
  /** Time to the first chunk with visible text, from the first pull. */
  private firstChunkMs: number | undefined;
  private onAbort: (() => void) | undefined;

  constructor(private readonly o: ResolvedStreamOptions) {}

  /** First pull: starts the phase (in the consumer's async context, so it nests where it is read). */
  begin(): void {
    if (this.state !== 'idle') return;
    const { collector, signal } = this.o;
    if (collector.completed || signal?.aborted) {
      this.state = 'ended';
      log.debug('stream read after its execution completed or its signal aborted: not timed');
      return;
    }
    this.state = 'running';
    this.timer = collector.startPhase(this.o.name, this.o.metadata);
    this.startedAt = this.lastAt = monotonicNow();
    if (signal) {
      this.onAbort = () => this.end('aborted');
      try {
        signal.addEventListener('abort', this.onAbort, { once: true });
      } catch {
        this.onAbort = undefined;
      }
    }
  }

  chunk(value: unknown): void {
    if (this.state !== 'running') return;
    const now = monotonicNow();
    this.chunks++;
    if (this.chunks > 1) recordChunkInterval(now - this.lastAt, this.o.attributes, this.o.meter);
    this.lastAt = now;
    if (this.firstChunkMs === undefined && this.visible(value)) {
      this.firstChunkMs = now - this.startedAt;
      if (!this.o.collector.completed) this.o.collector.recordFirstToken();
    }
  }

  private visible(value: unknown): boolean {
    const custom = this.o.isVisible;
    if (custom !== undefined) {
      try {
        return custom(value) === true;
      } catch {
        reportDrop('stream-is-visible-threw', 'instrumentStream() isVisible threw; the built-in rule decided that chunk');
      }
    }
    return isVisibleChunk(value);
  }

  end(outcome: StreamOutcome, error?: unknown): void {
    if (this.state === 'ended') return;
    const wasRunning = this.state === 'running';
    this.state = 'ended';
    if (this.onAbort) {
      try {
        this.o.signal?.removeEventListener('abort', this.onAbort);
      } catch {
        // nothing to undo
      }
      this.onAbort = undefined;
    }
    if (!wasRunning || !this.timer) return;
    const span = this.timer?.span;
    if (span && this.timer.running) {
      try {
        span.setAttribute(ATTR_STREAM_OUTCOME, outcome);
        span.setAttribute(ATTR_STREAM_CHUNKS, this.chunks);
        if (this.firstChunkMs !== undefined) span.setAttribute(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, this.firstChunkMs / 1000);
      } catch {
        // span bookkeeping never breaks the stream
      }
    }
    stopTimer(this.timer, error, outcome === 'error');
  }
}

/** An async iterator that times the iterator it wraps; results and errors are passed on as they are. */
class InstrumentedIterator<T> implements AsyncIterableIterator<T> {
  constructor(
    private readonly inner: AsyncIterator<T>,
    private readonly timing: StreamTiming,
  ) {}

  next(...args: [] | [unknown]): Promise<IteratorResult<T>> {
    this.timing.begin();
    let pending: Promise<IteratorResult<T>> | IteratorResult<T>;
    try {
      pending = this.inner.next(...args);
    } catch (err) {
      this.timing.end('error', err);
      throw err;
    }
    return Promise.resolve(pending).then(
      (result) => {
        if (isDone(result)) this.timing.end('completed');
        else this.timing.chunk(valueOf(result));
        return result;
      },
      (err: unknown) => {
        this.timing.end('error', err);
        throw err;
      },
    );
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    this.timing.end('cancelled');
    const ret = this.inner.return;
    if (typeof ret === 'function') return Promise.resolve(ret.call(this.inner, value as T));
    return Promise.resolve({ done: true, value: value as T });
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    this.timing.end('error', err);
    const thr = this.inner.throw;
    if (typeof thr === 'function') return Promise.resolve(thr.call(this.inner, err));
    return Promise.reject(err as Error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function valueOf(result: unknown): unknown {
  try {
    return (result as IteratorResult<unknown>).value;
  } catch {
    return undefined;
  }
}

function isDone(result: unknown): boolean {
  try {
    return result !== null && typeof result === 'object' && Boolean((result as IteratorResult<unknown>).done);
  } catch {
    return false;
  }
}

function isReadableStream(s: unknown): s is ReadableStream<unknown> {
  try {
    return s !== null && typeof s === 'object' && typeof (s as ReadableStream).getReader === 'function' && typeof (s as ReadableStream).cancel === 'function';
  } catch {
    return false;
  }
}

function isAsyncIterable(s: unknown): s is AsyncIterable<unknown> {
  try {
    return s !== null && (typeof s === 'object' || typeof s === 'function') && typeof (s as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
  } catch {
    return false;
  }
}

/**
 * A Proxy of the source: `[Symbol.asyncIterator]()` hands out timed iterators (one phase per
 * pass); everything else is the source's own (methods called on the source itself), so SDK
 * stream classes keep their extra members and `instanceof`. A source that is its own iterator
 * (an async generator) also has next/return/throw routed through its single timed iterator.
 */
function wrapAsyncIterable<S extends object>(source: S, makeTiming: () => StreamTiming): S {
  const iterable = source as unknown as AsyncIterable<unknown>;
  let own: InstrumentedIterator<unknown> | undefined;
  const iterate = (): InstrumentedIterator<unknown> => {
    const inner = iterable[Symbol.asyncIterator]();
    if ((inner as unknown) === source) return (own ??= new InstrumentedIterator(inner, makeTiming()));
    return new InstrumentedIterator(inner, makeTiming());
  };
  let selfIterating: boolean | undefined;
  const isSelfIterating = (): boolean => {
    if (selfIterating === undefined) {
      try {
        selfIterating = typeof (source as { next?: unknown }).next === 'function' && (iterable[Symbol.asyncIterator]() as unknown) === source;
      } catch {
        selfIterating = false;
      }
    }
    return selfIterating;
  };
  const bound = new Map<PropertyKey, { fn: (...a: unknown[]) => unknown; bound: (...a: unknown[]) => unknown }>();
  return new Proxy(source, {
    get(target, prop) {
      if (prop === Symbol.asyncIterator) return iterate;
      if ((prop === 'next' || prop === 'return' || prop === 'throw') && isSelfIterating()) {
        const it = iterate();
        return (it[prop] as (...a: unknown[]) => unknown).bind(it);
      }
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      let entry = bound.get(prop);
      if (!entry || entry.fn !== fn) {
        entry = { fn, bound: fn.bind(target) };
        bound.set(prop, entry);
      }
      return entry.bound;
    },
  });
}

/** A new ReadableStream that pulls from the source only when read (highWaterMark 0), timing it. */
function wrapReadableStream(source: ReadableStream<unknown>, timing: StreamTiming): ReadableStream<unknown> {
  let reader: ReadableStreamDefaultReader<unknown> | undefined;
  return new globalThis.ReadableStream<unknown>(
    {
      async pull(controller) {
        timing.begin();
        let result: ReadableStreamReadResult<unknown>;
        try {
          reader ??= source.getReader();
          result = await reader.read();
        } catch (err) {
          timing.end('error', err);
          controller.error(err);
          return;
        }
        if (result.done) {
          timing.end('completed');
          controller.close();
          return;
        }
        timing.chunk(result.value);
        controller.enqueue(result.value);
      },
      cancel(reason) {
        timing.end('cancelled');
        return reader ? reader.cancel(reason) : source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function resolveOptions(options: InstrumentStreamOptions, collector: EnhancedExecutionTimingCollector): ResolvedStreamOptions {
  const given = cleanName(options.name);
  if (options.name !== undefined && given === undefined) {
    reportDrop('invalid-stream-name', 'instrumentStream() name must be a non-empty string; using "llm_processing"');
  }
  const name = given ?? LLM_PROCESSING;
  let metadata: Record<string, unknown> | undefined;
  if (options.metadata !== null && typeof options.metadata === 'object') metadata = { ...options.metadata };
  if (name !== LLM_PROCESSING) metadata = { ...metadata, category: LLM_PROCESSING };
  else if (metadata && 'category' in metadata) metadata.category = LLM_PROCESSING;
  let isVisible: ((chunk: unknown) => boolean) | undefined;
  if (options.isVisible !== undefined) {
    if (typeof options.isVisible === 'function') isVisible = options.isVisible;
    else reportDrop('invalid-stream-is-visible', 'instrumentStream() isVisible must be a function; the built-in rule is used');
  }
  let signal: AbortSignal | undefined;
  if (options.signal !== undefined) {
    if (options.signal !== null && typeof options.signal === 'object' && typeof options.signal.addEventListener === 'function') signal = options.signal;
    else reportDrop('invalid-stream-signal', 'instrumentStream() signal must be an AbortSignal; it was ignored');
  }
  return {
    collector,
    name,
    metadata,
    signal,
    attributes: chunkAttributes(options),
    meter: options.meter,
    isVisible,
  };
}

/**
 * Times a streamed response as part of an execution: an `llm_processing` phase from the first
 * pull to the end, TTFT (collector.recordFirstToken()) at the first chunk with visible text (see
 * the `isVisible` option: empty and tool-call-only chunks do not count), and the time between
 * later chunks as the GenAI `gen_ai.client.operation.time_per_output_chunk` histogram (seconds).
 * The phase ends exactly once — on completion, an early `break`/`return()`, a thrown error
 * (phase marked failed), `cancel()`, or the `signal` aborting — and its span records the outcome,
 * the chunk count and `gen_ai.response.time_to_first_chunk`.
 *
 * Works on any AsyncIterable (OpenAI, Anthropic, Vercel AI SDK streams, async generators, Node
 * streams): the result is a Proxy of the same object whose iteration is timed. A web
 * ReadableStream gives a ReadableStream. Values and errors pass through untouched. Outside an
 * execution (and with no `collector` option) the stream itself is returned.
 */
export function instrumentStream<S extends AsyncIterable<unknown> | ReadableStream<unknown>>(stream: S, options?: InstrumentStreamOptions): S {
  try {
    const o: InstrumentStreamOptions = options !== null && typeof options === 'object' ? options : {};
    const collector = o.collector ?? currentCollector();
    if (!collector) return stream;
    if (collector.completed) {
      reportDrop('stream-after-complete', 'instrumentStream() for an execution that already completed: the stream is not timed');
      return stream;
    }
    const resolved = resolveOptions(o, collector);
    if (isReadableStream(stream)) return wrapReadableStream(stream, new StreamTiming(resolved)) as S;
    if (isAsyncIterable(stream)) return wrapAsyncIterable(stream, () => new StreamTiming(resolved));
    reportDrop('stream-not-iterable', 'instrumentStream() needs an AsyncIterable or a ReadableStream; the value was returned untouched');
    return stream;
  } catch {
    reportDrop('stream-instrumentation-failed', 'instrumentStream() could not wrap the stream; it was returned untouched');
    return stream;
  }
}
