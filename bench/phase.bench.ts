/**
 * What one phase costs: start + stop of a phase fully instrumented by agent-timing (span,
 * breakdown bookkeeping, default configuration) against a bare OpenTelemetry child span on a
 * provider with a BatchSpanProcessor (targets: ≤ 1.12× at 100 % sampling). One execution is open
 * during a round on each side — a collector, and a bare root span — opened before the timed loop
 * and completed (or ended) after it, untimed: the figure is the phase's own cost, not an
 * execution's cost spread over many phases (that is the execution scenario's figure). A
 * categorized phase carries one attribute (its category); a tool phase three (GenAI
 * execute_tool), and each is compared with a bare span carrying the same attributes. Phase cost
 * with 100 and 10 000 executions open is in the in-flight scenario.
 */
import { defineScenario } from './harness';
import { bareTracer, forEachSpanChunk, OpenExecutions, OpenRoots, startDefaultTelemetry } from './support/otel-peers';

/** Phases per round, all in one execution (which keeps at most 10 000). */
const OPS = 8_000;
let shutdown: (() => Promise<void>) | undefined;
const bare = bareTracer();
const roots = new OpenRoots(bare.tracer);
const executions = new OpenExecutions();

// One loop function per case: shared closures would make V8's type feedback polymorphic.
function bareSpans(from: number, to: number): void {
  const ctx = roots.ctx(0);
  for (let i = from; i < to; i++) bare.tracer.startSpan('step', undefined, ctx).end();
}
function bareSpansWithAttribute(from: number, to: number): void {
  const ctx = roots.ctx(0);
  for (let i = from; i < to; i++) bare.tracer.startSpan('database_query', { attributes: { 'agent_timing.phase.category': 'database_query' } }, ctx).end();
}
const TOOL_ATTRS = { 'agent_timing.phase.category': 'tool_execution', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'tool_execution' };
function bareToolSpans(from: number, to: number): void {
  const ctx = roots.ctx(0);
  for (let i = from; i < to; i++) bare.tracer.startSpan('execute_tool tool_execution', { attributes: TOOL_ATTRS }, ctx).end();
}
function uncategorizedPhases(from: number, to: number): void {
  const c = executions.at(0);
  for (let i = from; i < to; i++) {
    c.startPhase('step');
    c.stopPhase('step');
  }
}
function categorizedPhases(from: number, to: number): void {
  const c = executions.at(0);
  for (let i = from; i < to; i++) {
    c.startPhase('database_query');
    c.stopPhase('database_query');
  }
}
function toolPhases(from: number, to: number): void {
  const c = executions.at(0);
  for (let i = from; i < to; i++) {
    c.startPhase('tool_execution');
    c.stopPhase('tool_execution');
  }
}

const bareCase = (group: string, name: string, body: (from: number, to: number) => void) => ({
  group,
  name,
  peer: true,
  ops: OPS,
  beforeRound: () => roots.open(1),
  run: () => forEachSpanChunk(OPS, body),
  afterRound: () => roots.endAll(),
});
const oursCase = (group: string, name: string, body: (from: number, to: number) => void) => ({
  group,
  name,
  ops: OPS,
  beforeRound: () => executions.open(1),
  run: () => forEachSpanChunk(OPS, body),
  afterRound: () => executions.completeAll(),
});

export default defineScenario({
  name: 'phase',
  description: 'one phase (start + stop, one execution open): agent-timing (default set-up) vs a bare OTel child span with BatchSpanProcessor',
  rounds: 21,
  warmupRounds: 4,
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  cases: [
    bareCase('phase, no attributes', 'bare OTel child span + BatchSpanProcessor', bareSpans),
    {
      ...oursCase('phase, no attributes', 'agent-timing phase without category', uncategorizedPhases),
      setup: async () => {
        shutdown = (await startDefaultTelemetry()).shutdown;
      },
    },
    bareCase('phase, one attribute', 'bare OTel child span with 1 attribute + BatchSpanProcessor', bareSpansWithAttribute),
    oursCase('phase, one attribute', 'agent-timing database_query phase', categorizedPhases),
    bareCase('phase, three attributes', 'bare OTel child span with the 3 execute_tool attributes + BatchSpanProcessor', bareToolSpans),
    {
      ...oursCase('phase, three attributes', 'agent-timing tool_execution phase (execute_tool, 3 attributes)', toolPhases),
      teardown: async () => {
        await shutdown?.();
        await bare.provider.shutdown();
      },
    },
  ],
});
