/**
 * What one phase costs: a phase fully instrumented by agent-timing (span, breakdown processor,
 * histograms, aggregator feed, default configuration) against a bare OpenTelemetry child span on a
 * provider with a BatchSpanProcessor (target ≤ 1.3× its cost). Executions rotate every 1 000
 * phases on both sides, so the completion work (breakdown, histograms, aggregator) is in the figure.
 * A categorized phase carries one attribute (its category); a tool phase three (GenAI execute_tool),
 * and each is compared with a bare span carrying the same attributes.
 */
import { defineScenario } from './harness';
import { BareRoot, bareTracer, forEachSpanChunk, RotatingCollector, startDefaultTelemetry } from './support/otel-peers';

const OPS = 200_000;
let shutdown: (() => Promise<void>) | undefined;
const bare = bareTracer();
const bareRoot = new BareRoot(bare.tracer);
const collectors = new RotatingCollector();

// One loop function per case: shared closures would make V8's type feedback polymorphic.
function bareSpans(from: number, to: number): void {
  for (let i = from; i < to; i++) bare.tracer.startSpan('step', undefined, bareRoot.tick()).end();
}
function bareSpansWithAttribute(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    bare.tracer.startSpan('database_query', { attributes: { 'agent_timing.phase.category': 'database_query' } }, bareRoot.tick()).end();
  }
}
const TOOL_ATTRS = { 'agent_timing.phase.category': 'tool_execution', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'tool_execution' };
function bareToolSpans(from: number, to: number): void {
  for (let i = from; i < to; i++) bare.tracer.startSpan('execute_tool tool_execution', { attributes: TOOL_ATTRS }, bareRoot.tick()).end();
}
function uncategorizedPhases(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = collectors.at(i);
    c.startPhase('step');
    c.stopPhase('step');
  }
}
function categorizedPhases(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = collectors.at(i);
    c.startPhase('database_query');
    c.stopPhase('database_query');
  }
}
function toolPhases(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = collectors.at(i);
    c.startPhase('tool_execution');
    c.stopPhase('tool_execution');
  }
}

export default defineScenario({
  name: 'phase',
  description: 'one phase: agent-timing (default set-up) vs a bare OTel child span with BatchSpanProcessor',
  rounds: 9,
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  cases: [
    {
      group: 'phase, no attributes',
      name: 'bare OTel child span + BatchSpanProcessor',
      peer: true,
      ops: OPS,
      run: () => forEachSpanChunk(OPS, bareSpans),
    },
    {
      group: 'phase, no attributes',
      name: 'agent-timing phase without category',
      ops: OPS,
      setup: async () => {
        shutdown = (await startDefaultTelemetry()).shutdown;
      },
      run: () => forEachSpanChunk(OPS, uncategorizedPhases),
    },
    {
      group: 'phase, one attribute',
      name: 'bare OTel child span with 1 attribute + BatchSpanProcessor',
      peer: true,
      ops: OPS,
      run: () => forEachSpanChunk(OPS, bareSpansWithAttribute),
    },
    {
      group: 'phase, one attribute',
      name: 'agent-timing database_query phase',
      ops: OPS,
      run: () => forEachSpanChunk(OPS, categorizedPhases),
    },
    {
      group: 'phase, three attributes',
      name: 'bare OTel child span with the 3 execute_tool attributes + BatchSpanProcessor',
      peer: true,
      ops: OPS,
      run: () => forEachSpanChunk(OPS, bareToolSpans),
    },
    {
      group: 'phase, three attributes',
      name: 'agent-timing tool_execution phase (execute_tool, 3 attributes)',
      ops: OPS,
      run: () => forEachSpanChunk(OPS, toolPhases),
      teardown: async () => {
        collectors.end();
        bareRoot.end();
        await shutdown?.();
        await bare.provider.shutdown();
      },
    },
  ],
});
