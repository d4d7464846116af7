// An ES-module application (run by langchain-esm.test.ts): it imports the ES-module copy of
// @langchain/core, which Node loads apart from the CommonJS copy agent-timing requires.
import { context, SpanKind, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { StructuredTool } from '@langchain/core/tools';
import { z } from 'zod';
import { BreakdownSpanProcessor, onExecutionComplete } from 'agent-timing';
import { AgentTimingCallbackHandler } from 'agent-timing/langchain';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)] });
provider.register();

class Lookup extends StructuredTool {
  name = 'lookup';
  description = 'looks up';
  schema = z.object({ q: z.string() });
  async _call({ q }) {
    const span = trace.getTracer('client').startSpan(`GET /${q}`, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } });
    await new Promise((r) => setTimeout(r, 30));
    span.end();
    return q;
  }
}

const breakdowns = [];
onExecutionComplete((b) => breakdowns.push(b));
const handler = new AgentTimingCallbackHandler();
await new Lookup().invoke({ q: 'x' }, { callbacks: [handler] });
const spans = exporter.getFinishedSpans(); // before shutdown, which empties the exporter
const tool = spans.find((s) => s.name === 'execute_tool Lookup');
const client = spans.find((s) => s.name === 'GET /x');
process.stdout.write(
  JSON.stringify({
    toolSpan: tool?.spanContext().spanId,
    clientParent: client?.parentSpanContext?.spanId,
    externalApiMs: breakdowns[0]?.externalApiMs,
  }) + '\n',
);
await provider.shutdown();
void context;
