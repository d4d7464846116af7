import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_EXECUTION_ID, waterfallFromSpans, type CriticalPathEntry, type WaterfallRow } from 'agent-timing';

export type { WaterfallRow };

/**
 * A span processor (added with `startAgentTelemetry({ spanProcessors })`) that keeps each trace's
 * spans until the demo takes an execution's waterfall: every execution of the run gets one, drawn
 * by the SDK's report module with the collector's own critical path laid on it. (A service keeps a
 * bounded set instead: `startAgentTelemetry({ report })`, or the SDK's ReportRecorder.)
 */
export class WaterfallRecorder implements SpanProcessor {
  private readonly byTrace = new Map<string, ReadableSpan[]>();
  private readonly traceOf = new Map<string, string>();

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const list = this.byTrace.get(traceId);
    if (list) list.push(span);
    else this.byTrace.set(traceId, [span]);
    const executionId = span.attributes[ATTR_EXECUTION_ID];
    if (typeof executionId === 'string') this.traceOf.set(executionId, traceId);
  }

  /** The execution's rows, parents before children, with its critical path (and forgets its spans). */
  take(executionId: string, criticalPath: readonly CriticalPathEntry[]): WaterfallRow[] {
    const traceId = this.traceOf.get(executionId);
    const spans = traceId === undefined ? undefined : this.byTrace.get(traceId);
    this.traceOf.delete(executionId);
    if (traceId !== undefined) this.byTrace.delete(traceId);
    return spans ? waterfallFromSpans(spans, executionId, criticalPath).rows : [];
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.byTrace.clear();
    this.traceOf.clear();
    return Promise.resolve();
  }
}
