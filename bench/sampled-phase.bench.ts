/**
 * At 1 % sampling (parent-based trace-id ratio 0.01, as `OTEL_TRACES_SAMPLER=parentbased_traceidratio`
 * and `OTEL_TRACES_SAMPLER_ARG=0.01` configure it): one phase against a bare OpenTelemetry child
 * span on a provider with the same sampler and a BatchSpanProcessor (target: ≤ 1× the bare span).
 * Phases go round-robin over 100 executions (root spans) open at once, so about one in a hundred is
 * sampled on both sides, as in a service; executions and roots are opened before the timed loop
 * and completed after it, untimed.
 *
 * Its own scenario (a process of its own), apart from sampled.bench.ts's executions: run in one
 * process, this group's rounds left the execution groups after it slower on both sides (bare spans
 * 16 → 24 µs per execution, ours 12.5 → 31 µs, reproduced three times at load ~2), so their ratio
 * measured the state this group left behind rather than the executions.
 */
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { defineScenario } from './harness';
import { forEachSpanChunk, NullExporter, OpenExecutions, OpenRoots, startDefaultTelemetry } from './support/otel-peers';

const RATIO = 0.01;
const OPEN = 100;
const PHASE_OPS = 20_000;
const provider = new NodeTracerProvider({
  sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(RATIO) }),
  spanProcessors: [new BatchSpanProcessor(new NullExporter())],
});
const tracer = provider.getTracer('bare');
const roots = new OpenRoots(tracer);
const executions = new OpenExecutions();
let telemetry: { shutdown: () => Promise<void> } | undefined;
const ENV = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(RATIO) };

// One loop function per case: shared closures would make V8's type feedback polymorphic.
function bareSpans(from: number, to: number): void {
  for (let i = from; i < to; i++) tracer.startSpan('step', undefined, roots.ctx(i)).end();
}
function phases(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = executions.at(i);
    c.startPhase('step');
    c.stopPhase('step');
  }
}

const PHASE_GROUP = 'phase at 1 % sampling, 100 executions open';

export default defineScenario({
  name: 'sampled-phase',
  description: 'at 1 % sampling (parent-based trace-id ratio): a phase vs a bare OTel child span with the same sampler, 100 executions open',
  rounds: 11,
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  cases: [
    {
      group: PHASE_GROUP,
      name: 'bare OTel child span, 1 %-sampled, 100 root spans open',
      peer: true,
      ops: PHASE_OPS,
      beforeRound: () => roots.open(OPEN),
      run: () => forEachSpanChunk(PHASE_OPS, bareSpans),
      afterRound: () => roots.endAll(),
    },
    {
      group: PHASE_GROUP,
      name: 'agent-timing phase, 1 %-sampled, 100 executions open',
      ops: PHASE_OPS,
      setup: async () => {
        Object.assign(process.env, ENV);
        telemetry = await startDefaultTelemetry();
      },
      beforeRound: () => executions.open(OPEN),
      run: () => forEachSpanChunk(PHASE_OPS, phases),
      afterRound: () => executions.completeAll(),
      teardown: async () => {
        await telemetry?.shutdown();
        await provider.shutdown();
        for (const k of Object.keys(ENV)) delete process.env[k];
      },
    },
  ],
});
