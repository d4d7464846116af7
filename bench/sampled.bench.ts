/**
 * At 1 % sampling (parent-based trace-id ratio 0.01, as `OTEL_TRACES_SAMPLER=parentbased_traceidratio`
 * and `OTEL_TRACES_SAMPLER_ARG=0.01` configure it): a whole execution (20 phases, 3 parallel tasks,
 * a first token, completed) against the same work as bare OpenTelemetry spans on a provider with
 * the same sampler and a BatchSpanProcessor (target: an execution ≤ 0.5× the bare spans). In a
 * sampled-out execution the phases are records, not spans, while its breakdown, TTFT, histograms
 * and aggregator feed stay exact — the bare spans give none of that. The per-phase figure at 1 %
 * sampling is sampled-phase.bench.ts, in a process of its own (see why there).
 *
 * A third peer does by hand what an execution gives for every trace, sampled or not: the same
 * 1 %-sampled spans plus an SDK histogram observation per phase, task, TTFT and execution (two clock
 * reads each, a Prometheus reader attached), so the ratio against it is the cost of the same
 * numbers, not of numbers the bare spans never produce.
 */
import { context, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { defineScenario, yieldToEventLoop } from './harness';
import { NullExporter, sdk, startDefaultTelemetry } from './support/otel-peers';

const RATIO = 0.01;
const EXECUTION_OPS = 5_000;
const PHASES = ['initialization', 'database_query', 'tool_execution', 'llm_processing', 'external_api'];
const provider = new NodeTracerProvider({
  sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(RATIO) }),
  spanProcessors: [new BatchSpanProcessor(new NullExporter())],
});
const tracer = provider.getTracer('bare');
const meterProvider = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] });
const meter = meterProvider.getMeter('bare');
const BUCKETS = { advice: { explicitBucketBoundaries: [...sdk.bucketPlan().execution] } };
const executionHistogram = meter.createHistogram('agent_execution_duration', { unit: 's', ...BUCKETS });
const phaseHistogram = meter.createHistogram('agent_phase_duration', { unit: 's', ...BUCKETS });
const ttftHistogram = meter.createHistogram('agent_time_to_first_token', { unit: 's', ...BUCKETS });
const AGENT_LABELS = { 'gen_ai.agent.name': 'bench', outcome: 'success' };
const PHASE_LABELS = PHASES.map((p) => ({ ...AGENT_LABELS, category: p }));
const TASK_LABELS = { ...AGENT_LABELS, category: 'external_api' };
let telemetry: { shutdown: () => Promise<void> } | undefined;
const ENV = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(RATIO) };

// One loop function per case: shared closures would make V8's type feedback polymorphic.
function bareExecutions(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const root = tracer.startSpan('invoke_agent bench');
    const ctx = trace.setSpan(context.active(), root);
    for (let k = 0; k < 20; k++) tracer.startSpan(PHASES[k % 5], undefined, ctx).end();
    const tasks = [0, 1, 2].map((k) => tracer.startSpan(`task${k}`, undefined, ctx));
    root.addEvent('gen_ai.first_token');
    for (const t of tasks) t.end();
    root.end();
  }
}
const CATEGORY_ATTRS = PHASES.map((p) =>
  p === 'tool_execution' ? { 'agent_timing.phase.category': p, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': p } : { 'agent_timing.phase.category': p },
);
const TASK_ATTRS = { 'agent_timing.phase.category': 'external_api', 'agent_timing.phase.kind': 'parallel_task' };
function attributedExecutions(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const root = tracer.startSpan('invoke_agent bench', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'bench', 'agent_timing.execution.id': String(i) },
    });
    const ctx = trace.setSpan(context.active(), root);
    for (let k = 0; k < 20; k++) tracer.startSpan(PHASES[k % 5], { attributes: CATEGORY_ATTRS[k % 5] }, ctx).end();
    const tasks = [0, 1, 2].map((k) => tracer.startSpan(`task${k}`, { attributes: TASK_ATTRS }, ctx));
    root.addEvent('gen_ai.first_token', { 'gen_ai.response.time_to_first_chunk': 0.1 });
    for (const t of tasks) t.end();
    root.end();
  }
}
function bareExecutionsWithHistograms(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const t0 = performance.now();
    const root = tracer.startSpan('invoke_agent bench');
    const ctx = trace.setSpan(context.active(), root);
    for (let k = 0; k < 20; k++) {
      const s = performance.now();
      tracer.startSpan(PHASES[k % 5], undefined, ctx).end();
      phaseHistogram.record((performance.now() - s) / 1000, PHASE_LABELS[k % 5]);
    }
    const tasks = [0, 1, 2].map((k) => ({ span: tracer.startSpan(`task${k}`, undefined, ctx), start: performance.now() }));
    root.addEvent('gen_ai.first_token');
    ttftHistogram.record((performance.now() - t0) / 1000, AGENT_LABELS);
    for (const t of tasks) {
      t.span.end();
      phaseHistogram.record((performance.now() - t.start) / 1000, TASK_LABELS);
    }
    root.end();
    executionHistogram.record((performance.now() - t0) / 1000, AGENT_LABELS);
  }
}
function ourExecutions(from: number, to: number): void {
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
function ourExecutions2(from: number, to: number): void {
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

function ourExecutions3(from: number, to: number): void {
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

/** Executions per chunk between yields: ~24 spans each, so ~500 spans per chunk. */
const chunked = (body: (from: number, to: number) => void) => async () => {
  for (let from = 0; from < EXECUTION_OPS; from += 20) {
    body(from, Math.min(EXECUTION_OPS, from + 20));
    await yieldToEventLoop();
  }
};

const EXECUTION_GROUP = 'execution at 1 % sampling';
const ATTRIBUTED_GROUP = 'execution at 1 % sampling, vs the same spans with attributes';
const HISTOGRAM_GROUP = 'execution at 1 % sampling, vs the same spans + histograms by hand';

export default defineScenario({
  name: 'sampled',
  description: 'at 1 % sampling (parent-based trace-id ratio): an execution vs the same bare OTel spans with the same sampler (and vs the same numbers recorded by hand)',
  rounds: 11,
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  cases: [
    {
      group: EXECUTION_GROUP,
      name: '24 bare OTel spans, 1 %-sampled',
      peer: true,
      ops: EXECUTION_OPS,
      setup: async () => {
        Object.assign(process.env, ENV);
        telemetry = await startDefaultTelemetry();
      },
      run: chunked(bareExecutions),
    },
    { group: EXECUTION_GROUP, name: 'agent-timing execution, 1 %-sampled (default set-up)', ops: EXECUTION_OPS, run: chunked(ourExecutions) },
    { group: ATTRIBUTED_GROUP, name: '24 OTel spans with agent-timing names + attributes, 1 %-sampled', peer: true, ops: EXECUTION_OPS, run: chunked(attributedExecutions) },
    {
      group: ATTRIBUTED_GROUP,
      name: 'agent-timing execution, 1 %-sampled (default set-up) ',
      ops: EXECUTION_OPS,
      run: chunked(ourExecutions2),
    },
    {
      group: HISTOGRAM_GROUP,
      name: '24 bare OTel spans, 1 %-sampled, + 24 histogram observations',
      peer: true,
      ops: EXECUTION_OPS,
      run: chunked(bareExecutionsWithHistograms),
    },
    {
      group: HISTOGRAM_GROUP,
      name: 'agent-timing execution, 1 %-sampled (default set-up)  ',
      ops: EXECUTION_OPS,
      run: chunked(ourExecutions3),
      teardown: async () => {
        await telemetry?.shutdown();
        await provider.shutdown();
        await meterProvider.shutdown();
        for (const k of Object.keys(ENV)) delete process.env[k];
      },
    },
  ],
});
