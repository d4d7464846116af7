/**
 * Cost with executions in flight: one phase (start + stop) when 100 or 10 000 executions are open
 * at once, the phases going round-robin over them (target ≤ 1.3× a bare span), against bare
 * OpenTelemetry child spans going round-robin over as many open root spans; and the heap one
 * execution in flight holds once its 20 phases have stopped (target ≤ 8 KB), against a bare root
 * span whose 20 children ended. Executions and roots are opened before each timed loop and
 * completed after it, untimed. The one-execution figure is the phase scenario's.
 */
import { defineScenario, heapUsed } from './harness';
import { bareTracer, flushGlobalSpans, forEachSpanChunk, OpenExecutions, OpenRoots, startDefaultTelemetry } from './support/otel-peers';

const PHASES_PER_EXECUTION = 20;
const MEMORY_EXECUTIONS = 10_000;
let shutdown: (() => Promise<void>) | undefined;
const bare = bareTracer();
const roots = new OpenRoots(bare.tracer);
const executions = new OpenExecutions();

// One loop function per case: shared closures would make V8's type feedback polymorphic.
function bareSpans100(from: number, to: number): void {
  for (let i = from; i < to; i++) bare.tracer.startSpan('step', undefined, roots.ctx(i)).end();
}
function bareSpans10k(from: number, to: number): void {
  for (let i = from; i < to; i++) bare.tracer.startSpan('step', undefined, roots.ctx(i)).end();
}
function phases100(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = executions.at(i);
    c.startPhase('step');
    c.stopPhase('step');
  }
}
function phases10k(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = executions.at(i);
    c.startPhase('step');
    c.stopPhase('step');
  }
}

function group(open: number, ops: number, bareBody: (from: number, to: number) => void, ourBody: (from: number, to: number) => void) {
  const name = `phase, ${open.toLocaleString('en-US')} executions open`;
  return [
    {
      group: name,
      name: `bare OTel child span, ${open.toLocaleString('en-US')} root spans open`,
      peer: true,
      ops,
      beforeRound: () => roots.open(open),
      run: () => forEachSpanChunk(ops, bareBody),
      afterRound: () => roots.endAll(),
    },
    {
      group: name,
      name: `agent-timing phase, ${open.toLocaleString('en-US')} executions open`,
      ops,
      beforeRound: () => executions.open(open),
      run: () => forEachSpanChunk(ops, ourBody),
      afterRound: () => executions.completeAll(),
    },
  ];
}

/** Heap held per open root (or execution) after `fill` ran 20 children through each, exports flushed. */
async function heapPerOpen(openAll: () => void, fill: () => Promise<void>, flush: () => Promise<void>, closeAll: () => void): Promise<number> {
  await flush();
  const before = heapUsed();
  openAll();
  await fill();
  await flush();
  const bytes = (heapUsed() - before) / MEMORY_EXECUTIONS;
  closeAll();
  await flush();
  return bytes;
}

export default defineScenario({
  name: 'in-flight',
  description: 'one phase with 100 and 10 000 executions in flight, and the heap each in-flight execution holds, vs bare OTel spans',
  rounds: 9,
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  cases: [
    ...group(100, 20_000, bareSpans100, phases100).map((c, k) =>
      k === 1
        ? {
            ...c,
            setup: async () => {
              shutdown = (await startDefaultTelemetry()).shutdown;
            },
          }
        : c,
    ),
    ...group(10_000, PHASES_PER_EXECUTION * 10_000, bareSpans10k, phases10k),
    {
      group: 'heap per execution in flight (20 stopped phases)',
      name: 'bare OTel root span open, its 20 child spans ended and exported',
      peer: true,
      measure: async () => ({
        heapBytesPerExecution: await heapPerOpen(
          () => roots.open(MEMORY_EXECUTIONS),
          () => forEachSpanChunk(MEMORY_EXECUTIONS * PHASES_PER_EXECUTION, bareSpans10k),
          () => bare.provider.forceFlush(),
          () => roots.endAll(),
        ),
      }),
    },
    {
      group: 'heap per execution in flight (20 stopped phases)',
      name: 'agent-timing execution open, its 20 phases stopped and exported',
      measure: async () => ({
        heapBytesPerExecution: await heapPerOpen(
          () => executions.open(MEMORY_EXECUTIONS),
          () => forEachSpanChunk(MEMORY_EXECUTIONS * PHASES_PER_EXECUTION, phases10k),
          flushGlobalSpans,
          () => executions.completeAll(),
        ),
      }),
      teardown: async () => {
        await shutdown?.();
        await bare.provider.shutdown();
      },
    },
  ],
});
