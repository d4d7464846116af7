/**
 * The BreakdownSpanProcessor under load: 1 000 executions in flight, each receiving spans from
 * another instrumentation (a CLIENT span with HTTP attributes, as undici makes). The processor's
 * work must stay O(1) per span whatever the number of executions in flight. Peer: the same spans on
 * a provider without the processor.
 */
import { SpanKind, context, trace } from '@opentelemetry/api';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { defineScenario, yieldToEventLoop } from './harness';
import { NullExporter, SPAN_YIELD_MASK, sdk } from './support/otel-peers';

const IN_FLIGHT = 1_000;
const OPS = 100_000;
const ATTRS = { 'http.request.method': 'GET', 'server.address': '127.0.0.1' };

function providerWith(withProcessor: boolean): NodeTracerProvider {
  const processors = [new BatchSpanProcessor(new NullExporter())];
  return new NodeTracerProvider({
    spanProcessors: withProcessor ? [new sdk.BreakdownSpanProcessor(), ...processors] : processors,
  });
}

function scenarioCase(name: string, withProcessor: boolean, peer: boolean) {
  let provider: NodeTracerProvider;
  let collectors: InstanceType<typeof sdk.EnhancedExecutionTimingCollector>[] = [];
  return {
    name,
    peer,
    ops: OPS,
    setup: () => {
      provider = providerWith(withProcessor);
      const tracer = provider.getTracer('bench');
      collectors = Array.from({ length: IN_FLIGHT }, (_, k) => new sdk.EnhancedExecutionTimingCollector({ agentName: `a${k % 10}`, tracer }));
    },
    run: async () => {
      const tracer = provider.getTracer('http-client');
      for (let i = 0; i < OPS; i++) {
        const c = collectors[i % IN_FLIGHT];
        c.runInContext(() => tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: ATTRS }, context.active()).end());
        if ((i & SPAN_YIELD_MASK) === 0) await yieldToEventLoop();
      }
    },
    measure: () => {
      const b = collectors[0].getBreakdown();
      return { foreignSpansInOneExecution: b.foreignSpanCount };
    },
    teardown: async () => {
      for (const c of collectors) c.complete();
      await provider.shutdown();
      trace.disable();
    },
  };
}

export default defineScenario({
  name: 'processor',
  description: 'foreign spans into 1 000 executions in flight: with vs without the BreakdownSpanProcessor',
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  cases: [scenarioCase('foreign span, no processor', false, true), scenarioCase('foreign span, BreakdownSpanProcessor', true, false)],
});
