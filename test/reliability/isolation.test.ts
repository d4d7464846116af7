/**
 * Promise 3 — isolation. 10 000 executions run concurrently, interleaved at random (microtasks,
 * setImmediate, timers of 0–3 ms, short synchronous spins), each with its own random mix of
 * nested phases, measured calls containing another instrumentation's span, fan-outs of parallel
 * tasks and an optional TTFT. Every breakdown must equal its own ground truth — exactly its own
 * phase names with the durations its timers returned, its TTFT only if it recorded one, each
 * category's time as its own phases imply, its own foreign spans — and every span must sit in
 * its own execution's trace.
 */
import { SpanKind, trace, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  ATTR_EXECUTION_ID,
  BREAKDOWN_CATEGORIES,
  BreakdownSpanProcessor,
  CATEGORY_FIELD,
  EnhancedExecutionTimingCollector,
  getAgentTimingHealth,
  MetricType,
  PHASE_CATEGORIES,
  type BreakdownCategory,
  type PhaseCategory,
  type TimingBreakdown,
} from '../../src';
import { categorySum, spin } from '../support/time';
import { rng } from '../support/random';

const EXECUTIONS = 10_000;

/** Just what the checks need of each ended span (60 000 full ReadableSpans would be wasteful). */
class SpanLedger implements SpanProcessor {
  readonly byTrace = new Map<string, string[]>();
  readonly traceOfExecution = new Map<string, string>();
  onStart(_span: Span, _ctx: Context): void {}
  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const list = this.byTrace.get(traceId) ?? [];
    list.push(span.name);
    this.byTrace.set(traceId, list);
    const id = span.attributes[ATTR_EXECUTION_ID];
    if (typeof id === 'string') this.traceOfExecution.set(id, traceId);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}


/** A random way to let other executions run (or not). */
function pause(r: () => number): Promise<void> | void {
  const x = r();
  if (x < 0.15) return; // carry on synchronously
  if (x < 0.3) return Promise.resolve();
  if (x < 0.45) return new Promise((resolve) => setImmediate(resolve));
  if (x < 0.6) return void spin(0.02);
  if (x < 0.8) return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => setTimeout(resolve, 1 + Math.floor(r() * 3)));
}

interface Truth {
  executionId: string;
  durations: Map<string, number>;
  own: Record<BreakdownCategory, number>;
  topLevelMs: number;
  foreign: number;
  spanNames: number;
  ttft?: number;
  ttftAgain?: number;
  breakdown?: TimingBreakdown;
  metricsOk?: boolean;
}

const CATEGORY_CHOICES: Array<PhaseCategory | undefined> = [...PHASE_CATEGORIES, undefined];

async function execution(i: number): Promise<Truth> {
  const r = rng(i + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const c = new EnhancedExecutionTimingCollector({ agentName: `agent_${i % 7}`, executionId: `exec-${i}` });
  const own = Object.fromEntries(BREAKDOWN_CATEGORIES.map((k) => [k, 0])) as Record<BreakdownCategory, number>;
  const t: Truth = { executionId: c.executionId, durations: new Map(), own, topLevelMs: 0, foreign: 0, spanNames: 1 };
  const driver = trace.getTracer('some-db-driver');
  const ttftAt = r() < 0.5 ? Math.floor(r() * 4) : -1;
  const steps = 1 + Math.floor(r() * 4);
  for (let k = 0; k < steps; k++) {
    if (k === ttftAt) t.ttft = c.recordFirstToken();
    await pause(r);
    const kind = r();
    if (kind < 0.45) {
      // A phase, sometimes with a nested child, started and stopped imperatively.
      const name = `e${i}.a${k}`;
      const cat = pick(CATEGORY_CHOICES);
      c.startPhase(name, cat ? { category: cat } : undefined);
      await pause(r);
      let childMs = 0;
      if (r() < 0.5) {
        const childCat = pick(CATEGORY_CHOICES);
        c.startPhase(`${name}.c`, childCat ? { category: childCat } : undefined);
        await pause(r);
        childMs = c.stopPhase(`${name}.c`)!;
        t.durations.set(`${name}.c`, childMs);
        own[childCat ?? 'uncategorized'] += childMs;
        t.spanNames++;
        await pause(r);
      }
      const ms = c.stopPhase(name)!;
      t.durations.set(name, ms);
      own[cat ?? 'uncategorized'] += ms - childMs;
      t.topLevelMs += ms;
      t.spanNames++;
    } else if (kind < 0.75) {
      // A measured database call containing another instrumentation's span: all database time.
      const name = `e${i}.m${k}`;
      await c.measure(name, MetricType.DATABASE_QUERY, async () => {
        await pause(r);
        await driver.startActiveSpan(`db e${i}.${k}`, { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'sqlite' } }, async (s) => {
          await pause(r);
          s.end();
        });
        await pause(r);
      });
      const ms = c.metrics[c.metrics.length - 1].value; // measure() records its duration as the metric
      t.durations.set(name, ms);
      own.database_query += ms;
      t.topLevelMs += ms;
      t.foreign++;
      t.spanNames += 2;
    } else {
      // A fan-out: parallel tool tasks inside a tool phase.
      const name = `e${i}.f${k}`;
      c.startPhase(name, { category: 'tool_execution' });
      const n = 2 + Math.floor(r() * 3);
      const tasks = Array.from({ length: n }, (_, j) => c.startParallelTask(`${name}.t${j}`, { category: 'tool_execution' }));
      await Promise.all(
        tasks.map(async (task) => {
          await pause(r);
          t.durations.set(task.name, task.stop()!);
        }),
      );
      const ms = c.stopPhase(name)!;
      t.durations.set(name, ms);
      own.tool_execution += ms;
      t.topLevelMs += ms;
      t.spanNames += n + 1;
    }
  }
  if (t.ttft !== undefined) t.ttftAgain = c.recordFirstToken(); // the first call wins
  await pause(r);
  t.breakdown = c.complete();
  t.metricsOk = c.metrics.every((m) => m.executionId === t.executionId);
  return t;
}

describe('10 000 concurrent interleaved executions', () => {
  const ledger = new SpanLedger();
  const provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor(), ledger] });
  let truths: Truth[];
  let elapsedMs: number;
  let inFlightAtStart: number;

  beforeAll(async () => {
    provider.register();
    const t0 = performance.now();
    const running = Array.from({ length: EXECUTIONS }, (_, i) => execution(i));
    inFlightAtStart = getAgentTimingHealth().executionsInFlight; // every execution started before any ends
    truths = await Promise.all(running);
    elapsedMs = performance.now() - t0;
    console.log(`isolation: ${EXECUTIONS} executions (${inFlightAtStart} in flight at once), ${truths.reduce((a, t) => a + t.durations.size, 0)} phases and tasks, ` +
      `${truths.reduce((a, t) => a + t.foreign, 0)} foreign spans, ${truths.filter((t) => t.ttft !== undefined).length} TTFTs in ${elapsedMs.toFixed(0)} ms`);
    // A hang guard only: ~6 s of CPU, 24.8 s at load average 22, and 160.6 s in the full suite beside
    // two busy loops at load average 25 on two cores (issue 13), where 60 s was crossed.
  }, 300_000);

  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
  });

  /** Mismatches as readable lines (one expect over 10 000 executions keeps the test fast). */
  const mismatches = (check: (t: Truth, out: string[]) => void): string[] => {
    const out: string[] = [];
    for (const t of truths) check(t, out);
    return out.slice(0, 20);
  };
  const close = (a: number, b: number, eps: number) => Math.abs(a - b) <= eps;

  it('runs them all at once', () => {
    expect(inFlightAtStart).toBe(EXECUTIONS);
  });

  it('gives each execution exactly its own phases, with the durations its timers returned', () => {
    expect(
      mismatches((t, out) => {
        const b = t.breakdown!;
        if (b.executionId !== t.executionId) out.push(`${t.executionId}: breakdown of ${b.executionId}`);
        const got = Object.keys(b.phases).sort().join(',');
        const want = [...t.durations.keys()].sort().join(',');
        if (got !== want) out.push(`${t.executionId}: phases ${got} != ${want}`);
        for (const [name, ms] of t.durations) if (!close(b.phases[name], ms, 1e-9)) out.push(`${t.executionId}: ${name} ${b.phases[name]} != ${ms}`);
        if (b.openPhases.length) out.push(`${t.executionId}: open ${b.openPhases.join(',')}`);
        if (!t.metricsOk) out.push(`${t.executionId}: a metric of another execution`);
      }),
    ).toEqual([]);
  });

  it('gives each execution its TTFT only when it recorded one', () => {
    expect(
      mismatches((t, out) => {
        if (t.breakdown!.ttftMs !== t.ttft) out.push(`${t.executionId}: ttft ${t.breakdown!.ttftMs} != ${t.ttft}`);
        if (t.ttftAgain !== t.ttft) out.push(`${t.executionId}: second recordFirstToken() ${t.ttftAgain} != ${t.ttft}`);
      }),
    ).toEqual([]);
  });

  it('gives each category exactly the time its own phases imply, summing to the total', () => {
    expect(
      mismatches((t, out) => {
        const b = t.breakdown!;
        for (const k of BREAKDOWN_CATEGORIES) {
          const expected = k === 'overhead' ? b.totalMs - t.topLevelMs : t.own[k];
          if (!close(b[CATEGORY_FIELD[k]], expected, 1e-6)) out.push(`${t.executionId}: ${k} ${b[CATEGORY_FIELD[k]]} != ${expected}`);
        }
        if (!close(categorySum(b), b.totalMs, 1e-6)) out.push(`${t.executionId}: categories sum to ${categorySum(b)}, total ${b.totalMs}`);
      }),
    ).toEqual([]);
  });

  it("counts each execution's own foreign spans, and puts every span in its own execution's trace", () => {
    expect(
      mismatches((t, out) => {
        if (t.breakdown!.foreignSpanCount !== t.foreign) out.push(`${t.executionId}: ${t.breakdown!.foreignSpanCount} foreign spans != ${t.foreign}`);
        const names = ledger.byTrace.get(ledger.traceOfExecution.get(t.executionId) ?? '') ?? [];
        if (names.length !== t.spanNames) out.push(`${t.executionId}: ${names.length} spans in its trace != ${t.spanNames}`);
        const own = new RegExp(`\\be${t.executionId.slice('exec-'.length)}\\.`);
        for (const n of names) if (!n.startsWith('invoke_agent') && !own.test(n)) out.push(`${t.executionId}: foreign span ${n} in its trace`);
      }),
    ).toEqual([]);
    expect(ledger.byTrace.size).toBe(EXECUTIONS);
  });
});
