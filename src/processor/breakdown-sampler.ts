import {
  SamplingDecision,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
} from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';
import { scopeForSpan } from '../api/execution-scope';
import { ownSpanCreation } from '../spans/own-spans';

// Read once: re-exported enums are getters on the API package's index, read on every span otherwise.
const NOT_RECORD = SamplingDecision.NOT_RECORD;
const RECORD = SamplingDecision.RECORD;
const SAMPLED_FLAG = TraceFlags.SAMPLED;
const SAMPLED_RESULT: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
const RECORD_RESULT: SamplingResult = Object.freeze({ decision: RECORD });
const traceApi = trace;

/** Options of the BreakdownSampler. */
export interface BreakdownSamplerOptions {
  /**
   * Declares that the wrapped sampler decides a child of a local, valid parent span as the parent
   * was decided: true of every sampler OTEL_TRACES_SAMPLER names (parent-based ones follow the
   * parent; always_on/off and traceidratio decide the same for every span of a trace). Phase spans
   * then take their execution's decision without a call into the wrapped sampler. Default false.
   */
  childrenFollowParent?: boolean;
}

/**
 * Wraps a head sampler so sampling never costs accuracy: inside an agent execution, a span of
 * another instrumentation that the wrapped sampler would drop is still recorded (RECORD, not
 * sampled). Span processors see it — so breakdowns and histograms cover 100 % of executions —
 * while exporters, which only take sampled spans, send the sampled share. An execution's own span
 * keeps the wrapped sampler's decision: a dropped execution is a non-recording span whose context
 * propagates, and its phases are timed without spans (cheaper than the bare spans it replaces).
 * Outside executions the wrapped sampler's decision stands.
 */
export class BreakdownSampler implements Sampler {
  private readonly childrenFollowParent: boolean;

  constructor(
    private readonly delegate: Sampler,
    options: BreakdownSamplerOptions = {},
  ) {
    this.childrenFollowParent = options.childrenFollowParent === true;
  }

  shouldSample(
    ctx: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (ownSpanCreation.underOwnSpan && this.childrenFollowParent) {
      // A phase under its execution (or another phase): the wrapped sampler would follow the
      // parent, whose decision is known; skip its parent lookup and span-context validation.
      const parent = traceApi.getSpanContext(ctx);
      if (parent !== undefined) return parent.traceFlags & SAMPLED_FLAG ? SAMPLED_RESULT : RECORD_RESULT;
    }
    const result = this.delegate.shouldSample(ctx, traceId, spanName, spanKind, attributes, links);
    if (result.decision !== NOT_RECORD) return result;
    // An execution's own span keeps the decision: a sampled-out execution gets a non-recording
    // span (its span context still propagates) and records its phases without spans. Phases of a
    // recording execution, and other instrumentations' spans inside any execution, are recorded
    // so that the BreakdownSpanProcessor sees them.
    if (ownSpanCreation.active ? ownSpanCreation.underOwnSpan : scopeForSpan(ctx) !== undefined) {
      return { ...result, decision: RECORD };
    }
    return result;
  }

  toString(): string {
    return `BreakdownSampler{${this.delegate.toString()}}`;
  }
}
