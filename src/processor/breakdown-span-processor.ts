import { trace, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { monotonicNow } from '../internal/clock';
import { executionRegistry } from '../api/execution-registry';
import { scopeForSpan } from '../api/execution-scope';
import type { ExecutionState } from '../api/execution-state';
import { IntervalKind, type Interval } from '../breakdown/interval';
import { feedSink, globalBreakdownSink, onExecutionComplete, type BreakdownSink } from '../api/completion';
import { defaultClassifier, SpanClassifier, type ClassificationRule } from './classification';
import { firstChunkOffsetMs } from './first-chunk';
import { ownSpanCreation } from '../spans/own-spans';

/** Options of the BreakdownSpanProcessor. */
export interface BreakdownSpanProcessorOptions {
  /** Feed every completed execution to an aggregator: `true` = the global one, or a given one. Default false. */
  aggregator?: BreakdownSink | boolean;
  /**
   * An execution never completed is evicted after this many ms, with one diag warning — for the
   * executions whose own span this processor sees start (those started with a tracer of its
   * provider; the shortest wins if several processors with this option see it). Other executions
   * (no SDK, a sampled-out execution span, another provider) keep the process default:
   * startAgentTelemetry's `abandonAfterMs`, default 600 000. Per processor: it changes no global.
   */
  abandonAfterMs?: number;
  /**
   * Rows tried before the built-in classification table (docs/frameworks.md), first match wins:
   * add a framework's spans or override a built-in row. Validated here; a bad row throws.
   */
  classificationRules?: readonly ClassificationRule[];
}

// Read once: the API's index re-exports `trace` through a getter.
const traceApi = trace;

/** Spans of other instrumentations seen starting inside an execution, until they end. Module-wide,
 *  so two processors on two providers never count one span twice. */
const pending = new WeakMap<object, { state: ExecutionState; iv: Interval; classifier: SpanClassifier }>();

/**
 * The model call a tool span runs inside of, though the framework made them siblings: the most
 * recent LLM span still open under the same parent. The AI SDK runs the tools a streamed step asks
 * for while that step's `doStream` span is still open (it closes once the tools' results are in),
 * and makes `ai.toolCall` its sibling; as siblings the stream, which ends last, would take the
 * tool's time. Nested under it, the tool keeps its time (the deeper interval wins). Only tool spans
 * are moved, and only under a model call: parallel work of other kinds keeps its own parent.
 */
function openModelCallBeside(open: Map<string, Interval>, parent: Interval): Interval | undefined {
  let found: Interval | undefined;
  for (const iv of open.values()) {
    if (iv.category === 'llm_processing' && iv.parent === parent && (found === undefined || iv.start >= found.start)) found = iv;
  }
  return found;
}

/**
 * Puts spans of other OpenTelemetry instrumentations (HTTP, database, GenAI, messaging…) that run
 * inside an execution into that execution's TimingBreakdown. Its work is O(1) per span and does
 * not depend on export: spans are counted when they end, whether or not they are sampled or ever
 * leave the process. Register it first on your TracerProvider (startAgentTelemetry does).
 */
export class BreakdownSpanProcessor implements SpanProcessor {
  private readonly unsubscribe: (() => void) | undefined;
  private isShutdown = false;
  private readonly classifier: SpanClassifier;
  /** Its abandonAfterMs option, 0 when not given (the process default applies). */
  private readonly abandonAfterMs: number;

  constructor(options: BreakdownSpanProcessorOptions = {}) {
    if (options.abandonAfterMs !== undefined) {
      if (typeof options.abandonAfterMs !== 'number' || !(options.abandonAfterMs > 0) || !Number.isFinite(options.abandonAfterMs)) {
        throw new RangeError(`agent-timing: abandonAfterMs must be a positive number of milliseconds, got ${String(options.abandonAfterMs)}`);
      }
    }
    // Given to each execution whose span starts here (onStart), not written to a process-wide limit:
    // two processors with different values each keep theirs.
    this.abandonAfterMs = options.abandonAfterMs ?? 0;
    this.classifier = options.classificationRules === undefined ? defaultClassifier : new SpanClassifier(options.classificationRules);
    const target = options.aggregator === true ? globalBreakdownSink() : options.aggregator || undefined;
    if (target !== undefined && (typeof target.addMetric !== 'function' || typeof target.addTimingBreakdown !== 'function')) {
      throw new TypeError('agent-timing: aggregator must be true, false or an object with addMetric() and addTimingBreakdown()');
    }
    this.unsubscribe = target ? onExecutionComplete((b, metrics) => feedSink(target, b, metrics)) : undefined;
  }

  onStart(span: Span, parentContext: Context): void {
    if (ownSpanCreation.active) {
      // One of our spans; an execution's own one takes this processor's abandon time, if it has one.
      if (ownSpanCreation.execution && this.abandonAfterMs !== 0 && !this.isShutdown) executionRegistry.offerAbandonAfterMs(this.abandonAfterMs);
      return;
    }
    if (this.isShutdown || pending.has(span)) return;
    const scope = scopeForSpan(parentContext);
    if (!scope || scope.state.ended) return;
    const state = scope.state;
    let parent = scope.interval;
    const parentSpan = traceApi.getSpan(parentContext);
    if (parentSpan && state.openForeign !== undefined && state.openForeign.size > 0) {
      parent = state.openForeign.get(parentSpan.spanContext().spanId) ?? parent;
    }
    // Classified now (for breakdowns taken while it runs) and again at its end, when instrumentations
    // have added everything they know.
    const category = this.classifier.classify(span.name, span.kind, span.attributes);
    if (category === 'tool_execution' && state.openForeign !== undefined) parent = openModelCallBeside(state.openForeign, parent ?? state.root) ?? parent;
    const iv = state.add(IntervalKind.Foreign, span.name, monotonicNow(), parent, category);
    if (!iv) return;
    (state.openForeign ??= new Map()).set(span.spanContext().spanId, iv);
    pending.set(span, { state, iv, classifier: this.classifier });
  }

  onEnd(span: ReadableSpan): void {
    const rec = pending.get(span);
    if (!rec) return;
    pending.delete(span);
    const { state, iv } = rec;
    state.openForeign?.delete(span.spanContext().spanId);
    if (state.ended) return;
    const end = monotonicNow();
    iv.end = end;
    const category = rec.classifier.classify(span.name, span.kind, span.attributes);
    iv.category = category;
    state.foreignSpanCount++;
    // TTFT without glue: an LLM span that reports its first output chunk (AI SDK, GenAI, OpenInference).
    if (category === 'llm_processing') {
      const offset = firstChunkOffsetMs(span);
      if (offset !== undefined) state.noteFirstToken(Math.min(end, iv.start + offset));
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.isShutdown = true;
    this.unsubscribe?.();
    return Promise.resolve();
  }
}
