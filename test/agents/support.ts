import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BreakdownSpanProcessor } from '../../src/processor/breakdown-span-processor';
import { onExecutionComplete } from '../../src/api/completion';
import type { TimingBreakdown } from '../../src/breakdown/timing-breakdown';

/** A tracer provider (not registered globally) with the BreakdownSpanProcessor and an in-memory exporter. */
export function spanRecorder(): { provider: NodeTracerProvider; exporter: InMemorySpanExporter; spans: () => ReadableSpan[] } {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)] });
  return { provider, exporter, spans: () => exporter.getFinishedSpans() };
}

/** A metric reader collected on demand. */
export class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A meter provider with a reader; `points(name)` gives the data points of one instrument. */
export function meterRecorder(): { provider: MeterProvider; points: (name: string) => Promise<Array<{ value: unknown; attributes: Record<string, unknown> }>> } {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const points = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    return pointsOf(resourceMetrics, name);
  };
  return { provider, points };
}

function pointsOf(rm: ResourceMetrics, name: string): Array<{ value: unknown; attributes: Record<string, unknown> }> {
  const out: Array<{ value: unknown; attributes: Record<string, unknown> }> = [];
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.descriptor.name !== name) continue;
      for (const dp of m.dataPoints as Array<{ value: unknown; attributes: Record<string, unknown> }>) out.push({ value: dp.value, attributes: dp.attributes });
    }
  }
  return out;
}

/** Collects every completed execution's breakdowns by execution id (in completion order). */
export function completions(): { byId: Map<string, TimingBreakdown[]>; stop: () => void } {
  const byId = new Map<string, TimingBreakdown[]>();
  const stop = onExecutionComplete((b) => {
    const list = byId.get(b.executionId);
    if (list) list.push(b);
    else byId.set(b.executionId, [b]);
  });
  return { byId, stop };
}

/** Deterministic pseudo-random integers in [lo, hi] (so a failing run can be reproduced). */
export function seeded(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

/**
 * A run's ground truth: its own phase names, how long each sleeps, whether it records TTFT, and
 * (filled in by the test while it runs) the wall-clock time the test itself saw around each
 * phase — an upper bound that holds however late timers fire on a busy machine.
 */
export interface RunPlan {
  runId: string;
  phases: Array<{ name: string; ms: number }>;
  ttft: boolean;
  measured: Record<string, number>;
}

export function plans(n: number, prefix: string, seed = 42): RunPlan[] {
  const rnd = seeded(seed);
  return Array.from({ length: n }, (_, i) => ({
    runId: `${prefix}-${i}`,
    phases: [
      { name: `${prefix}${i}_load`, ms: rnd(2, 30) },
      { name: `${prefix}${i}_think`, ms: rnd(2, 30) },
    ],
    ttft: i % 3 === 0,
    measured: {},
  }));
}

/** Runs fn and notes, in plan.measured[name], the wall-clock ms the caller saw around it. */
export async function bracket<T>(plan: RunPlan, name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    plan.measured[name] = performance.now() - t0;
  }
}

/**
 * Checks one breakdown against its plan: exactly its own phase names; each duration at least its
 * sleep and at most what the test saw around it; a TTFT only when this run recorded one.
 */
export function expectMatchesPlan(b: TimingBreakdown, plan: RunPlan): void {
  expect(Object.keys(b.phases).sort()).toEqual(plan.phases.map((p) => p.name).sort());
  for (const p of plan.phases) {
    expect(b.phases[p.name]).toBeGreaterThanOrEqual(p.ms - 2); // timers may fire up to ~1 ms early
    const seen = plan.measured[p.name];
    expect(seen).toBeDefined();
    expect(b.phases[p.name]).toBeLessThanOrEqual(seen + 0.5);
  }
  if (plan.ttft) {
    expect(b.ttftMs).toBeGreaterThanOrEqual(plan.phases[0].ms - 2);
    expect(b.ttftMs).toBeLessThanOrEqual(b.totalMs);
  } else {
    expect(b.ttftMs).toBeUndefined();
  }
}
