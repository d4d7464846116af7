/**
 * A whole execution — 20 phases, 3 parallel tasks and a first token, completed — against the same
 * 24 bare OpenTelemetry spans (a root and 23 children) on a provider with a BatchSpanProcessor,
 * with and without agent-timing's names and attributes (target ≤ 1.35×), and against a peer
 * library a user would pick instead: OpenInference's `traceAgent()` wrapping an agent function
 * whose 23 steps are `traceTool()`-wrapped calls (24 spans; @arizeai/openinference-core, defaults),
 * with agent-timing's side timing the same steps with `measure(name, undefined, fn)`. The 1 %-sampled
 * figures are in the sampled scenario.
 */
import { context, trace } from '@opentelemetry/api';
import { traceAgent, traceTool } from '@arizeai/openinference-core';
import { defineScenario, yieldToEventLoop } from './harness';
import { bareTracer, sdk, startDefaultTelemetry } from './support/otel-peers';

const OPS = 5_000;
const PHASES = ['initialization', 'database_query', 'tool_execution', 'llm_processing', 'external_api'];
const bare = bareTracer();
let shutdown: (() => Promise<void>) | undefined;

function bareExecutions(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const root = bare.tracer.startSpan('invoke_agent bench');
    const ctx = trace.setSpan(context.active(), root);
    for (let k = 0; k < 20; k++) bare.tracer.startSpan(PHASES[k % 5], undefined, ctx).end();
    const tasks = [0, 1, 2].map((k) => bare.tracer.startSpan(`task${k}`, undefined, ctx));
    root.addEvent('gen_ai.first_token');
    for (const t of tasks) t.end();
    root.end();
  }
}

const CATEGORY_ATTRS = PHASES.map((p) =>
  p === 'tool_execution'
    ? { 'agent_timing.phase.category': p, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': p }
    : { 'agent_timing.phase.category': p },
);
const TASK_ATTRS = { 'agent_timing.phase.category': 'external_api', 'agent_timing.phase.kind': 'parallel_task' };

/** The same 24 spans with the names and attributes agent-timing gives them (the fairer peer). */
function attributedExecutions(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const root = bare.tracer.startSpan('invoke_agent bench', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'bench', 'agent_timing.execution.id': String(i) },
    });
    const ctx = trace.setSpan(context.active(), root);
    for (let k = 0; k < 20; k++) bare.tracer.startSpan(PHASES[k % 5], { attributes: CATEGORY_ATTRS[k % 5] }, ctx).end();
    const tasks = [0, 1, 2].map((k) => bare.tracer.startSpan(`task${k}`, { attributes: TASK_ATTRS }, ctx));
    root.addEvent('gen_ai.first_token', { 'gen_ai.response.time_to_first_chunk': 0.1 });
    for (const t of tasks) t.end();
    root.end();
  }
}

function agentTimingExecutions(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = new sdk.EnhancedExecutionTimingCollector({ agentName: 'bench' });
    for (let k = 0; k < 20; k++) {
      c.startPhase(PHASES[k % 5]);
      c.stopPhase(PHASES[k % 5]);
    }
    const tasks = [0, 1, 2].map((k) => c.startParallelTask(`task${k}`, { category: 'external_api' }));
    c.recordFirstToken();
    for (const t of tasks) t.stop();
    c.complete();
  }
}

function step(): number {
  return 21;
}
const tracedStep = traceTool(step, { tracer: bare.tracer, name: 'step' });
function agentBody(): void {
  for (let k = 0; k < 23; k++) tracedStep();
}
const tracedAgent = traceAgent(agentBody, { tracer: bare.tracer, name: 'bench' });
function openInferenceExecutions(from: number, to: number): void {
  for (let i = from; i < to; i++) tracedAgent();
}
function measuredExecutions(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = new sdk.EnhancedExecutionTimingCollector({ agentName: 'bench' });
    for (let k = 0; k < 20; k++) c.measure(PHASES[k % 5], undefined, step);
    const tasks = [0, 1, 2].map((k) => c.startParallelTask(`task${k}`, { category: 'external_api' }));
    c.recordFirstToken();
    for (const t of tasks) t.stop();
    c.complete();
  }
}

/** Executions per chunk between yields: ~24 spans each, so ~500 spans per chunk. */
const chunked = (body: (from: number, to: number) => void) => async () => {
  for (let from = 0; from < OPS; from += 20) {
    body(from, Math.min(OPS, from + 20));
    await yieldToEventLoop();
  }
};

export default defineScenario({
  name: 'execution',
  description: 'one execution (20 phases, 3 parallel tasks, TTFT) vs 24 bare OTel spans',
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  rounds: 11,
  cases: [
    {
      name: '24 bare OTel spans + BatchSpanProcessor',
      peer: true,
      ops: OPS,
      run: chunked(bareExecutions),
    },
    {
      group: 'vs the same spans with attributes',
      name: '24 OTel spans with agent-timing names + attributes',
      peer: true,
      ops: OPS,
      run: chunked(attributedExecutions),
    },
    {
      name: 'agent-timing execution (default set-up)',
      ops: OPS,
      setup: async () => {
        shutdown = (await startDefaultTelemetry()).shutdown;
      },
      run: chunked(agentTimingExecutions),
    },
    {
      group: 'vs the same spans with attributes',
      name: 'agent-timing execution (default set-up) ',
      ops: OPS,
      run: chunked(agentTimingExecutions),
    },
    {
      group: 'vs a peer library (OpenInference)',
      name: 'OpenInference traceAgent() around 23 traceTool() calls + BatchSpanProcessor',
      peer: true,
      ops: OPS,
      run: chunked(openInferenceExecutions),
    },
    {
      group: 'vs a peer library (OpenInference)',
      name: 'agent-timing execution, 20 measure(fn) phases + 3 tasks + TTFT',
      ops: OPS,
      run: chunked(measuredExecutions),
      teardown: async () => {
        await shutdown?.();
        await bare.provider.shutdown();
      },
    },
  ],
});
