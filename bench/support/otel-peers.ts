/**
 * Shared set-up for the span benchmarks: the peers (bare OpenTelemetry spans on a provider with a
 * BatchSpanProcessor) and agent-timing itself, loaded from the BUILT package (dist/, what users
 * run; `npm run bench` builds first), configured as startAgentTelemetry() configures it by default
 * plus a BatchSpanProcessor into the same null exporter, so both sides pay for export alike.
 */
import { context, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const sdk = require('../../dist/cjs/index.js') as typeof import('../../src');

/** An exporter that accepts and discards: measures the SDK, not a network. */
export class NullExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.exported += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Yield often enough that the BatchSpanProcessor (512 per batch) exports instead of dropping. */
export const SPAN_YIELD_MASK = 0x1ff;

/** Runs body over [0, total) in chunks of 512, yielding to the event loop between chunks (so the
 *  BatchSpanProcessor's queue drains as in a service). Give each case its own body. */
export async function forEachSpanChunk(total: number, body: (from: number, to: number) => void): Promise<void> {
  const chunk = SPAN_YIELD_MASK + 1;
  for (let from = 0; from < total; from += chunk) {
    body(from, Math.min(total, from + chunk));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A bare provider with a BatchSpanProcessor: the peer of every span benchmark. */
export function bareTracer(): { tracer: Tracer; provider: NodeTracerProvider } {
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new NullExporter())] });
  return { tracer: provider.getTracer('bare'), provider };
}

/** Rotates a bare root span every `every` children, like a collector rotates executions. */
export class BareRoot {
  private root: Span;
  ctx: Context;
  private n = 0;
  constructor(
    private readonly tracer: Tracer,
    private readonly every = 1000,
  ) {
    this.root = tracer.startSpan('invoke_agent bench');
    this.ctx = trace.setSpan(context.active(), this.root);
  }
  tick(): Context {
    if (++this.n % this.every === 0) {
      this.root.end();
      this.root = this.tracer.startSpan('invoke_agent bench');
      this.ctx = trace.setSpan(context.active(), this.root);
    }
    return this.ctx;
  }
  end(): void {
    this.root.end();
  }
}

/** agent-timing's side of BareRoot: a collector completed and replaced every `every` calls, so the
 *  completion work (breakdown, histograms, aggregator feed) is in every per-phase figure. */
export class RotatingCollector {
  private collector: InstanceType<typeof sdk.EnhancedExecutionTimingCollector> | undefined;
  constructor(private readonly every = 1000) {}
  /** The collector for call i. */
  at(i: number): InstanceType<typeof sdk.EnhancedExecutionTimingCollector> {
    if (!this.collector || i % this.every === 0) {
      this.collector?.complete();
      this.collector = new sdk.EnhancedExecutionTimingCollector({ agentName: 'bench' });
    }
    return this.collector;
  }
  /** Completes the current collector. */
  end(): void {
    this.collector?.complete();
    this.collector = undefined;
  }
}

/**
 * `n` bare root spans open at once (started before a timed round, ended after it): the peer's
 * side of executions in flight. Children round-robin over them with ctx(i).
 */
export class OpenRoots {
  private roots: Span[] = [];
  private ctxs: Context[] = [];
  constructor(private readonly tracer: Tracer) {}
  open(n: number): void {
    for (let k = 0; k < n; k++) {
      const root = this.tracer.startSpan('invoke_agent bench');
      this.roots.push(root);
      this.ctxs.push(trace.setSpan(context.active(), root));
    }
  }
  /** The context of root i mod n. */
  ctx(i: number): Context {
    return this.ctxs[i % this.ctxs.length];
  }
  endAll(): void {
    for (const r of this.roots) r.end();
    this.roots = [];
    this.ctxs = [];
  }
}

/** agent-timing's side of OpenRoots: `n` executions open at once, completed after the round. */
export class OpenExecutions {
  private list: InstanceType<typeof sdk.EnhancedExecutionTimingCollector>[] = [];
  open(n: number): void {
    for (let k = 0; k < n; k++) this.list.push(new sdk.EnhancedExecutionTimingCollector({ agentName: 'bench' }));
  }
  /** Execution i mod n. */
  at(i: number): InstanceType<typeof sdk.EnhancedExecutionTimingCollector> {
    return this.list[i % this.list.length];
  }
  completeAll(): void {
    for (const c of this.list) c.complete();
    this.list = [];
  }
}

/** Flushes the global provider's span processors (the one startAgentTelemetry registered). */
export async function flushGlobalSpans(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = (provider.getDelegate ? provider.getDelegate() : provider) as { forceFlush?: () => Promise<void> };
  await delegate.forceFlush?.();
}

/** agent-timing's default set-up (Prometheus reader, aggregator feed, undici instrumentation)
 *  with span export through a BatchSpanProcessor into a null exporter. */
export async function startDefaultTelemetry(): Promise<{ shutdown: () => Promise<void> }> {
  const t = sdk.startAgentTelemetry({
    prometheus: { host: '127.0.0.1', port: 0 },
    otlp: false,
    spanProcessors: [new BatchSpanProcessor(new NullExporter())],
  });
  await t.metricsEndpoint;
  return t;
}
