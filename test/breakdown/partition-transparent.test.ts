import fc from 'fast-check';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { partition, type CategoryTotals } from '../../src/breakdown/partition';
import { IntervalKind, type Interval } from '../../src/breakdown/interval';
import { BREAKDOWN_CATEGORIES, PHASE_CATEGORIES, type PhaseCategory } from '../../src/breakdown/categories';
import { BreakdownSpanProcessor } from '../../src/processor/breakdown-span-processor';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { isUnclassifiedForeign, iv, root } from '../support/intervals';
import { categorySum, sleep } from '../support/time';

const sum = (t: Record<string, number>): number => Object.values(t).reduce((a, b) => a + b, 0);
const framework = (parent: Interval, start: number, end: number): Interval => iv(parent, 'framework.step', start, end, undefined, IntervalKind.Foreign);

describe('partition: unclassified foreign spans are transparent', () => {
  it('a framework span beside a 200 ms llm phase takes nothing from it (issue 12, last row)', () => {
    const r = root();
    const span = framework(r, 0, 222);
    const llm = iv(r, 'llm_processing', 10, 210, 'llm_processing');
    const t = partition([span, llm], 0, 222);
    expect(t.llm_processing).toBe(200);
    expect(t.uncategorized).toBe(0);
    expect(t.overhead).toBe(22); // covered only by the framework span: framework time
  });

  it('a framework span around a 200 ms llm phase takes nothing from it either', () => {
    const r = root();
    const span = framework(r, 0, 222);
    const llm = iv(span, 'llm_processing', 10, 210, 'llm_processing');
    const t = partition([span, llm], 0, 222);
    expect(t.llm_processing).toBe(200);
    expect(t.uncategorized).toBe(0);
    expect(t.overhead).toBe(22);
  });

  it('inside a user phase, its time stays with that phase, categorized or not', () => {
    const r = root();
    const tool = iv(r, 'search', 0, 100, 'tool_execution');
    const inTool = framework(tool, 20, 80);
    const plain = iv(r, 'parse', 100, 150);
    const inPlain = framework(plain, 110, 140);
    const t = partition([tool, inTool, plain, inPlain], 0, 150);
    expect(t.tool_execution).toBe(100);
    expect(t.uncategorized).toBe(50); // parse has no category: its own time, and only its own
    expect(t.overhead).toBe(0);
  });

  it('the part of it outside every phase is overhead', () => {
    const r = root();
    const tool = iv(r, 'search', 0, 50, 'tool_execution');
    const span = framework(tool, 20, 90); // outlives its phase
    const t = partition([tool, span], 0, 100);
    expect(t.tool_execution).toBe(50);
    expect(t.overhead).toBe(50);
    expect(t.uncategorized).toBe(0);
  });

  it('does not shadow a phase that is shallower than it: depth counts only non-transparent intervals', () => {
    const r = root();
    const agent = framework(r, 0, 100);
    const chain = framework(agent, 0, 100);
    const llm = iv(chain, 'model', 0, 60, 'llm_processing', IntervalKind.Foreign); // level 1
    const tool = iv(r, 'tool_execution', 30, 100, 'tool_execution', IntervalKind.ParallelTask); // level 1, ends last
    const t = partition([agent, chain, llm, tool], 0, 100);
    expect(t.llm_processing).toBe(30);
    expect(t.tool_execution).toBe(70);
  });

  it('keeps an HTTP span under an LLM call as LLM time through transparent spans between them', () => {
    const r = root();
    const llm = iv(r, 'llm_processing', 0, 100, 'llm_processing');
    const wrapper = framework(llm, 5, 95);
    const http = iv(wrapper, 'POST', 10, 90, 'external_api', IntervalKind.Foreign);
    const t = partition([llm, wrapper, http], 0, 100);
    expect(t.llm_processing).toBe(100);
    expect(t.external_api).toBe(0);
  });

  it('a classified foreign span inside a phase without category keeps its own category', () => {
    const r = root();
    const step = iv(r, 'step', 0, 100);
    const wrapper = framework(step, 0, 100);
    const db = iv(wrapper, 'SELECT', 20, 60, 'database_query', IntervalKind.Foreign);
    const t = partition([step, wrapper, db], 0, 100);
    expect(t.database_query).toBe(40);
    expect(t.uncategorized).toBe(60);
  });

  /** One generated interval: parent pick, timing, and what it is (a phase, a task, a classified or an unclassified foreign span). */
  const spec = fc.record({
    parentPick: fc.nat(),
    a: fc.double({ min: 0, max: 1000, noNaN: true }),
    b: fc.double({ min: 0, max: 1000, noNaN: true }),
    cat: fc.option(fc.constantFrom(...PHASE_CATEGORIES), { nil: undefined }),
    kind: fc.constantFrom(IntervalKind.Phase, IntervalKind.ParallelTask, IntervalKind.Foreign, IntervalKind.Foreign),
    open: fc.boolean(),
  });

  /** Random trees in which many foreign spans are unclassified; recorded parents first, starts in any order or in order. */
  const treeArb = fc.tuple(fc.array(spec, { maxLength: 40 }), fc.boolean()).map(([specs, ordered]) => {
    const r = root();
    const all: Interval[] = [];
    let clock = 0;
    for (const s of specs) {
      const parent = all.length && s.parentPick % 3 !== 0 ? all[s.parentPick % all.length] : r;
      let start = Math.min(s.a, s.b);
      let end = Math.max(s.a, s.b);
      if (ordered) {
        clock += (s.a % 7) / 2;
        start = clock;
        end = clock + (s.b % 40);
      }
      all.push(iv(parent, `n${all.length}`, start, s.open && s.parentPick % 4 === 0 ? NaN : end, s.cat as PhaseCategory | undefined, s.kind));
    }
    return all;
  });

  /** The same tree without its transparent spans: each interval hangs from its nearest non-transparent ancestor. */
  function withoutTransparent(intervals: readonly Interval[]): Interval[] {
    const copy = new Map<Interval, Interval>();
    const out: Interval[] = [];
    let r: Interval | undefined;
    for (const i of intervals) {
      if (isUnclassifiedForeign(i)) continue;
      let p = i.parent!;
      while (isUnclassifiedForeign(p)) p = p.parent!;
      const parent = copy.get(p) ?? (r ??= root(p.start));
      const c = iv(parent, i.name, i.start, i.end, i.category, i.kind);
      copy.set(i, c);
      out.push(c);
    }
    return out;
  }

  const close = (x: CategoryTotals, y: CategoryTotals): void => {
    for (const c of BREAKDOWN_CATEGORIES) expect(Math.abs(x[c] - y[c])).toBeLessThan(1e-6);
  };

  it('adding unclassified spans anywhere (leaves, or between a phase and its children) changes no category (property)', () => {
    fc.assert(
      fc.property(treeArb, fc.double({ min: 0, max: 1200, noNaN: true }), (intervals, end) => {
        const stripped = withoutTransparent(intervals);
        fc.pre(stripped.length < intervals.length); // something to remove
        close(partition(intervals, 0, end), partition(stripped, 0, end));
      }),
      { numRuns: 400 },
    );
  });

  it('partitions the window, and uncategorized comes only from our own phases without a category (property)', () => {
    fc.assert(
      fc.property(treeArb, fc.double({ min: 0, max: 1200, noNaN: true }), (intervals, end) => {
        const t = partition(intervals, 0, end);
        expect(Math.abs(sum(t) - end)).toBeLessThan(1e-6);
        for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
        // Uncategorized time lies inside the union of our phases and tasks that have no category.
        const plain = intervals
          .filter((i) => i.kind !== IntervalKind.Foreign && i.category === undefined)
          .map((i) => [Math.max(0, i.start), Math.min(Number.isNaN(i.end) ? end : i.end, end)] as const)
          .filter(([s, e]) => e > s)
          .sort((x, y) => x[0] - y[0]);
        let union = 0;
        let reach = -Infinity;
        for (const [s, e] of plain) {
          if (e > reach) union += e - Math.max(s, reach);
          reach = Math.max(reach, e);
        }
        expect(t.uncategorized).toBeLessThanOrEqual(union + 1e-6);
      }),
      { numRuns: 400 },
    );
  });
});

describe('transparent spans with a real tracer and the BreakdownSpanProcessor', () => {
  let provider: NodeTracerProvider;

  beforeAll(() => {
    provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor()] });
    provider.register();
  });

  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
  });

  it('an unattributed framework span around a 200 ms llm phase: llm keeps its time, nothing is uncategorized', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'framework' });
    const tracer = trace.getTracer('some-framework');
    await c.runInContext(() =>
      tracer.startActiveSpan('framework.run', async (span) => {
        await sleep(10);
        await c.measure('llm_processing', undefined, () => sleep(200));
        await sleep(10);
        span.end();
      }),
    );
    const b = c.complete();
    expect(b.foreignSpanCount).toBe(1);
    expect(b.llmProcessingMs).toBeGreaterThanOrEqual(200);
    expect(b.uncategorizedMs).toBe(0);
    expect(b.overheadMs).toBeGreaterThanOrEqual(20); // the framework span's own time
    expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);
  });

  it('an unattributed framework span running beside the llm phase: the same', async () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'framework' });
    const tracer = trace.getTracer('some-framework');
    const beside = c.runInContext(() =>
      tracer.startActiveSpan('framework.poll', async (span) => {
        await sleep(230);
        span.end();
      }),
    );
    await c.measure('llm_processing', undefined, () => sleep(200));
    await beside;
    const b = c.complete();
    expect(b.foreignSpanCount).toBe(1);
    expect(b.llmProcessingMs).toBeGreaterThanOrEqual(200);
    expect(b.uncategorizedMs).toBe(0);
  });
});
