import fc from 'fast-check';
import { partition } from '../../src/breakdown/partition';
import { IntervalKind, type Interval } from '../../src/breakdown/interval';
import { BREAKDOWN_CATEGORIES, PHASE_CATEGORIES, type PhaseCategory } from '../../src/breakdown/categories';
import { isUnclassifiedForeign, iv, referenceCategory, referenceLevel, root } from '../support/intervals';

const sum = (t: Record<string, number>): number => Object.values(t).reduce((a, b) => a + b, 0);

describe('partition', () => {
  it('gives uncovered time to overhead and covered time to the phase category', () => {
    const r = root();
    const t = partition([iv(r, 'initialization', 10, 30, 'initialization')], 0, 100);
    expect(t.initialization).toBe(20);
    expect(t.overhead).toBe(80);
    expect(sum(t)).toBe(100);
  });

  it('does not double count nested phases: the child takes its time from the parent', () => {
    const r = root();
    const tool = iv(r, 'tool', 0, 100, 'tool_execution');
    const db = iv(tool, 'db', 20, 50, 'database_query');
    const t = partition([tool, db], 0, 100);
    expect(t.tool_execution).toBe(70);
    expect(t.database_query).toBe(30);
    expect(sum(t)).toBe(100);
  });

  it('counts overlapping parallel work once, giving the overlap to the sibling that ends last', () => {
    const r = root();
    const a = iv(r, 'a', 0, 60, 'external_api', IntervalKind.ParallelTask);
    const b = iv(r, 'b', 10, 80, 'database_query', IntervalKind.ParallelTask);
    const t = partition([a, b], 0, 100);
    expect(t.external_api).toBe(10); // 0–10, before b starts
    expect(t.database_query).toBe(70); // 10–80: b ends last, so the overlap is b's
    expect(t.overhead).toBe(20);
    expect(sum(t)).toBe(100);
  });

  it('counts phases without a category as uncategorized, even inside a categorized parent', () => {
    const r = root();
    const tool = iv(r, 'tool_execution', 0, 50, 'tool_execution');
    const parse = iv(tool, 'parse', 10, 20);
    const t = partition([tool, parse], 0, 50);
    expect(t.uncategorized).toBe(10);
    expect(t.tool_execution).toBe(40);
  });

  it('lets foreign spans without a class inherit, and keeps LLM transport HTTP spans as LLM time', () => {
    const r = root();
    const llm = iv(r, 'llm', 0, 100, 'llm_processing');
    const http = iv(llm, 'POST', 10, 90, 'external_api', IntervalKind.Foreign);
    const tool = iv(r, 'tool', 100, 200, 'tool_execution');
    const fetchSpan = iv(tool, 'GET', 120, 180, 'external_api', IntervalKind.Foreign);
    const opaque = iv(tool, 'internal', 180, 190, undefined, IntervalKind.Foreign);
    const t = partition([llm, http, tool, fetchSpan, opaque], 0, 200);
    expect(t.llm_processing).toBe(100);
    expect(t.external_api).toBe(60);
    expect(t.tool_execution).toBe(40);
    expect(t.uncategorized).toBe(0);
  });

  it('runs open intervals to the window end and clips intervals to the window', () => {
    const r = root();
    const open = iv(r, 'llm_processing', 50, NaN, 'llm_processing');
    const early = iv(r, 'queue_wait', -20, 10, 'queue_wait');
    const t = partition([open, early], 0, 80);
    expect(t.llm_processing).toBe(30);
    expect(t.queue_wait).toBe(10);
    expect(sum(t)).toBe(80);
  });

  it('returns zeros for an empty window', () => {
    expect(sum(partition([], 5, 5))).toBe(0);
  });

  /** What every generated interval draws: its parent, category, kind, and whether it is still open. */
  const traits = {
    parentPick: fc.nat(),
    cat: fc.option(fc.constantFrom(...PHASE_CATEGORIES), { nil: undefined }),
    kind: fc.constantFrom(IntervalKind.Phase, IntervalKind.ParallelTask, IntervalKind.Foreign),
    open: fc.boolean(),
  };

  /** Random trees of phases, tasks and foreign spans, each inside its parent or overlapping it. */
  const treeArb = fc
    .array(
      fc.record({
        ...traits,
        a: fc.double({ min: 0, max: 1000, noNaN: true }),
        b: fc.double({ min: 0, max: 1000, noNaN: true }),
      }),
      { maxLength: 40 },
    )
    .map((specs) => {
      const r = root();
      const all: Interval[] = [];
      for (const s of specs) {
        const parent = all.length && s.parentPick % 3 !== 0 ? all[s.parentPick % all.length] : r;
        const start = Math.min(s.a, s.b);
        const end = s.open ? NaN : Math.max(s.a, s.b);
        all.push(iv(parent, 'x', start, end, s.cat as PhaseCategory | undefined, s.kind));
      }
      return all;
    });

  it('always partitions the window exactly (property)', () => {
    fc.assert(
      fc.property(treeArb, fc.double({ min: 0, max: 1200, noNaN: true }), (intervals, end) => {
        const t = partition(intervals, 0, end);
        expect(Math.abs(sum(t) - end)).toBeLessThan(1e-6);
        for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
        // Covered time equals the union of the clipped intervals that are not transparent: overhead
        // is exactly what nothing else covers.
        const segs = intervals
          .filter((i) => !isUnclassifiedForeign(i))
          .map((i) => [Math.max(0, i.start), Math.min(Number.isNaN(i.end) ? end : i.end, end)] as const)
          .filter(([s, e]) => e > s)
          .sort((x, y) => x[0] - y[0]);
        let covered = 0;
        let curS = -1;
        let curE = -1;
        for (const [s, e] of segs) {
          if (s > curE) {
            covered += Math.max(0, curE - curS);
            curS = s;
            curE = e;
          } else curE = Math.max(curE, e);
        }
        covered += Math.max(0, curE - curS);
        expect(Math.abs(t.overhead - (end - covered))).toBeLessThan(1e-6);
      }),
      { numRuns: 300 },
    );
  });

  /**
   * The rule, instant by instant, written from its statement rather than from the code: at the
   * middle of every elementary segment, among the covering intervals that are not transparent
   * (an unclassified foreign span), pick the one with the most non-transparent ancestors, then
   * the latest end, the earliest start, the first recorded.
   */
  function referencePartition(intervals: Interval[], end: number): Record<string, number> {
    const clip = intervals.map((i) => [Math.max(0, i.start), Math.min(Number.isNaN(i.end) ? end : i.end, end)] as const);
    const cuts = [...new Set([0, end, ...clip.flat().filter((t) => t > 0 && t < end)])].sort((a, b) => a - b);
    const level = intervals.map(referenceLevel);
    const out: Record<string, number> = {};
    for (let k = 0; k + 1 < cuts.length; k++) {
      const mid = (cuts[k] + cuts[k + 1]) / 2;
      let w = -1;
      for (let i = 0; i < intervals.length; i++) {
        const [s, e] = clip[i];
        if (!(s < mid && mid < e) || isUnclassifiedForeign(intervals[i])) continue;
        const better =
          w < 0 ||
          level[i] > level[w] ||
          (level[i] === level[w] && (e > clip[w][1] || (e === clip[w][1] && s < clip[w][0])));
        if (better) w = i;
      }
      const key = w < 0 ? 'overhead' : (referenceCategory(intervals[w]) ?? 'uncategorized');
      out[key] = (out[key] ?? 0) + (cuts[k + 1] - cuts[k]);
    }
    return out;
  }

  /** Property: partition() agrees with the reference, category by category, on every generated tree. */
  function checkAgainstReference(arb: fc.Arbitrary<Interval[]>, maxEnd: number, numRuns: number): void {
    fc.assert(
      fc.property(arb, fc.double({ min: 0, max: maxEnd, noNaN: true }), (intervals, end) => {
        const t = partition(intervals, 0, end);
        const ref = referencePartition(intervals, end);
        for (const c of BREAKDOWN_CATEGORIES) expect(Math.abs(t[c] - (ref[c] ?? 0))).toBeLessThan(1e-6);
      }),
      { numRuns },
    );
  }

  it('gives every instant to the deepest, then latest-ending, covering interval (property, against a reference)', () => {
    checkAgainstReference(treeArb, 1200, 500);
  });

  it('sorts far-from-ordered events too (many concurrent spans, built-in sort fallback)', () => {
    const r = root();
    const all: Interval[] = [];
    for (let k = 0; k < 300; k++) all.push(iv(r, 'x', 300 - k, 1000 + k, PHASE_CATEGORIES[k % PHASE_CATEGORIES.length], IntervalKind.Foreign));
    const t = partition(all, 0, 2000);
    const ref = referencePartition(all, 2000);
    for (const c of BREAKDOWN_CATEGORIES) expect(Math.abs(t[c] - (ref[c] ?? 0))).toBeLessThan(1e-6);
  });

  /** Sequential phases (touching, gaps, zero-length, the last maybe open), optionally followed by one that overlaps them. */
  const sequenceArb = fc
    .record({
      steps: fc.array(fc.record({ gap: fc.constantFrom(0, 0, 0.5, 3), len: fc.constantFrom(0, 0.25, 1, 7), cat: fc.option(fc.constantFrom(...PHASE_CATEGORIES), { nil: undefined }) }), { maxLength: 30 }),
      lastOpen: fc.boolean(),
      overlapAt: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    })
    .map(({ steps, lastOpen, overlapAt }) => {
      const r = root();
      const all: Interval[] = [];
      let t = 0;
      for (const st of steps) {
        t += st.gap;
        all.push(iv(r, 'x', t, t + st.len, st.cat));
        t += st.len;
      }
      if (lastOpen && all.length) (all[all.length - 1] as { end: number }).end = NaN;
      if (overlapAt !== undefined) all.push(iv(r, 'late', overlapAt, overlapAt + 5, 'queue_wait', IntervalKind.ParallelTask));
      return all;
    });

  it('agrees with the reference on sequential phases, and when one overlapping interval comes last (property)', () => {
    checkAgainstReference(sequenceArb, 400, 500);
  });

  /** Intervals in start order, as collectors record them: runs of sequential phases, then nesting and overlap. */
  const recordedArb = fc
    .array(
      fc.record({
        ...traits,
        gap: fc.constantFrom(0, 0.5, 2),
        len: fc.constantFrom(0, 1, 4, 30),
      }),
      { maxLength: 40 },
    )
    .map((specs) => {
      const r = root();
      const all: Interval[] = [];
      let t = 0;
      for (const s of specs) {
        t += s.gap;
        const parent = all.length && s.parentPick % 3 === 0 ? all[s.parentPick % all.length] : r;
        all.push(iv(parent, 'x', t, s.open && s.parentPick % 5 === 0 ? NaN : t + s.len, s.cat, s.kind));
      }
      return all;
    });

  it('agrees with the reference on intervals in recording (start) order (property)', () => {
    checkAgainstReference(recordedArb, 150, 800);
  });
});
