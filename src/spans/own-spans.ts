import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  ProxyTracerProvider,
} from '@opentelemetry/api';
import { SCOPE_NAME, ATTR_PHASE_CATEGORY, ATTR_PHASE_KIND } from './names';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_TOOL_NAME, GEN_AI_OPERATION_EXECUTE_TOOL } from './semconv';
import { redactExceptionText } from '../internal/redaction';
import { metadataToAttributes, truncate } from '../internal/sanitize';
import type { PhaseCategory } from '../breakdown/categories';
import { VERSION } from '../version';

/**
 * Set while agent-timing itself is inside tracer.startSpan(): span processors and samplers run
 * synchronously in there and use it to tell our spans from other instrumentations' spans.
 */
export const ownSpanCreation = {
  active: false,
  /** Also set when the parent context's span is one of ours, made by the same tracer (a phase
   *  under its execution or phase): its span context is then valid and local by construction. */
  underOwnSpan: false,
  /** Also set while the span is an execution's own (invoke_agent / invoke_workflow), not a phase's:
   *  a BreakdownSpanProcessor with an abandonAfterMs option then gives that execution its abandon time. */
  execution: false,
};

// Read once: re-exported enums are getters on the API package's index.
const INTERNAL = SpanKind.INTERNAL;
const ERROR = SpanStatusCode.ERROR;

let cachedTracer: Tracer | undefined;
let cachedDelegate: unknown;

/** Our tracer from the global provider, re-resolved only when the registered provider changes. */
export function defaultTracer(): Tracer {
  const provider = trace.getTracerProvider();
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  if (!cachedTracer || delegate !== cachedDelegate) {
    cachedDelegate = delegate;
    cachedTracer = trace.getTracer(SCOPE_NAME, VERSION);
  }
  return cachedTracer;
}

/** Name and start options of a phase or task span. Shapes without metadata are cached and shared:
 *  treat them as read-only (the SDK copies attributes out of the options, never into them). */
export interface PhaseSpanShape {
  readonly spanName: string;
  /** Passed to tracer.startSpan as is; undefined when the span has no attributes. */
  readonly options: SpanOptions | undefined;
}

/** Starts one of our spans, flagged as ours for the processor and sampler. Never throws. */
export function startOwnSpan(
  tracer: Tracer,
  name: string,
  options: SpanOptions | undefined,
  parent: Context,
  underOwnSpan = false,
): Span | undefined {
  ownSpanCreation.active = true;
  ownSpanCreation.underOwnSpan = underOwnSpan;
  try {
    // No options object at all (a phase without attributes) skips the SDK's attribute pass.
    return tracer.startSpan(name, options, parent);
  } catch {
    return undefined; // a broken tracer or processor must not break the agent
  } finally {
    ownSpanCreation.active = false;
    ownSpanCreation.underOwnSpan = false;
    ownSpanCreation.execution = false;
  }
}

/** Span options with attributes (INTERNAL is the SDK's default kind). */
export function spanOptions(attributes: Attributes | undefined): SpanOptions | undefined {
  return attributes === undefined ? undefined : { kind: INTERNAL, attributes };
}

/** Cached shapes of metadata-less phases, by parallel flag, then category ('' for none), then name. */
const shapeCache = [new Map<string, Map<string, PhaseSpanShape>>(), new Map<string, Map<string, PhaseSpanShape>>()];
let cachedShapes = 0;
/** Most cached shapes: names are bounded per execution, not per process, so the cache is capped. */
const MAX_CACHED_SHAPES = 1024;

/** Name and options of a phase or task span (tool phases follow the GenAI execute_tool convention). */
export function phaseSpanShape(name: string, category: PhaseCategory | undefined, parallel: boolean, metadata: unknown): PhaseSpanShape {
  if (metadata !== undefined) return buildShape(name, category, parallel, metadata);
  const byCategory = shapeCache[parallel ? 1 : 0];
  let byName = byCategory.get(category ?? '');
  if (!byName) byCategory.set(category ?? '', (byName = new Map()));
  let shape = byName.get(name);
  if (!shape) {
    shape = buildShape(name, category, parallel, undefined);
    if (cachedShapes >= MAX_CACHED_SHAPES) return shape;
    if (shape.options?.attributes) Object.freeze(shape.options.attributes);
    byName.set(name, shape);
    cachedShapes++;
  }
  return shape;
}

function buildShape(name: string, category: PhaseCategory | undefined, parallel: boolean, metadata: unknown): PhaseSpanShape {
  if (metadata === undefined && category === undefined && !parallel) return { spanName: name, options: undefined };
  const attributes: Attributes = {};
  if (metadata !== undefined) metadataToAttributes(metadata, attributes);
  let spanName = name;
  if (category) {
    attributes[ATTR_PHASE_CATEGORY] = category;
    if (category === 'tool_execution') {
      const tool = toolNameOf(metadata) ?? name;
      spanName = `${GEN_AI_OPERATION_EXECUTE_TOOL} ${tool}`;
      attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_EXECUTE_TOOL;
      attributes[ATTR_GEN_AI_TOOL_NAME] = tool;
    }
  }
  if (parallel) attributes[ATTR_PHASE_KIND] = 'parallel_task';
  return { spanName, options: { kind: INTERNAL, attributes } };
}

function toolNameOf(metadata: unknown): string | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  try {
    const m = metadata as Record<string, unknown>;
    const v = m.toolName ?? m.tool_name ?? m.tool;
    return typeof v === 'string' && v.trim() ? truncate(v.trim(), 256) : undefined;
  } catch {
    return undefined;
  }
}

/** Marks a span failed with the error's type and message, and records the exception. Never throws. */
export function markSpanError(span: Span | undefined, error: unknown): void {
  if (!span) return;
  try {
    const isError = error instanceof Error;
    const name: unknown = isError ? error.name : undefined;
    const text: unknown = isError ? error.message : error;
    const type = typeof name === 'string' && name ? name : isError || typeof error === 'string' ? 'Error' : '_OTHER';
    const message = typeof text === 'string' ? redactExceptionText(truncate(text)) : undefined;
    span.setStatus({ code: ERROR, message: message === undefined ? undefined : truncate(message) });
    span.setAttribute(ATTR_ERROR_TYPE, truncate(type, 256));
    // A bounded copy: the SDK does not cut event attributes, and an error may carry megabytes.
    if (isError) {
      const stack = typeof error.stack === 'string' ? redactExceptionText(truncate(error.stack)) : undefined;
      const code: unknown = (error as { code?: unknown }).code;
      span.recordException({
        code: typeof code === 'string' || typeof code === 'number' ? truncate(String(code), 256) : undefined,
        name: truncate(type, 256),
        message: message === undefined ? undefined : truncate(message),
        stack,
      });
    }
  } catch {
    // setStatus on a hostile error object (throwing getters) must not escape
  }
}

/** Ends a span, swallowing anything a processor throws. */
export function endSpan(span: Span | undefined, attributes?: Attributes): void {
  if (!span) return;
  try {
    if (attributes) span.setAttributes(attributes);
    span.end();
  } catch {
    // processors are user code too
  }
}
