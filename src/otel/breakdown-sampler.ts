import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { scopeForSpan } from '../timing/execution-scope';
import { ownSpanCreation } from './own-spans';

/**
 * Wraps a head sampler so sampling never costs accuracy: inside an agent execution, a span the
 * wrapped sampler would drop is still recorded (RECORD, not sampled). Span processors see it — so
 * breakdowns and histograms cover 100 % of executions — while exporters, which only take sampled
 * spans, send the sampled share. Outside executions the wrapped sampler's decision stands.
 */
export class BreakdownSampler implements Sampler {
  constructor(private readonly delegate: Sampler) {}

  shouldSample(
    ctx: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.delegate.shouldSample(ctx, traceId, spanName, spanKind, attributes, links);
    if (result.decision !== SamplingDecision.NOT_RECORD) return result;
    if (ownSpanCreation.active || scopeForSpan(ctx) !== undefined) {
      return { ...result, decision: SamplingDecision.RECORD };
    }
    return result;
  }

  toString(): string {
    return `BreakdownSampler{${this.delegate.toString()}}`;
  }
}
