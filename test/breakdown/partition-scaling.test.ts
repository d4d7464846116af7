import fc from 'fast-check';
import { partition, partitionComparisons } from '../../src/breakdown/partition';
import { IntervalKind, type Interval } from '../../src/breakdown/interval';
import { BREAKDOWN_CATEGORIES, PHASE_CATEGORIES, type PhaseCategory } from '../../src/breakdown/categories';
import { iv, root } from '../support/intervals';
import { oraclePartition } from './partition-oracle';

describe('partition: the same results as before, without a quadratic path', () => {
  /** Trees without unclassified foreign spans (where the former implementation's rule still holds), starts in any order. */
  const classifiedTreeArb = fc
    .array(
      fc.record({
        parentPick: fc.nat(),
        a: fc.integer({ min: 0, max: 80 }),
        b: fc.integer({ min: 0, max: 80 }),
        cat: fc.option(fc.constantFrom(...PHASE_CATEGORIES), { nil: undefined }),
        foreignCat: fc.constantFrom(...PHASE_CATEGORIES),
        kind: fc.constantFrom(IntervalKind.Phase, IntervalKind.ParallelTask, IntervalKind.Foreign),
        open: fc.boolean(),
      }),
      { maxLength: 50 },
    )
    .map((specs) => {
      const r = root();
      const all: Interval[] = [];
      for (const s of specs) {
        const parent = all.length && s.parentPick % 3 !== 0 ? all[s.parentPick % all.length] : r;
        const category = (s.kind === IntervalKind.Foreign ? s.foreignCat : s.cat) as PhaseCategory | undefined;
        all.push(iv(parent, 'x', Math.min(s.a, s.b), s.open && s.parentPick % 4 === 0 ? NaN : Math.max(s.a, s.b), category, s.kind));
      }
      return all;
    });

  it('gives exactly what the former implementation gave when every foreign span is classified (property, against the oracle)', () => {
    fc.assert(
      fc.property(classifiedTreeArb, fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 10 }), (intervals, end, start) => {
        const now = partition(intervals, start, end);
        const before = oraclePartition(intervals, start, end);
        for (const c of BREAKDOWN_CATEGORIES) expect(now[c]).toBe(before[c]);
      }),
      { numRuns: 1000 },
    );
  });

  type Shape = 'nested' | 'parallel' | 'staggered' | 'reversed';

  /** n intervals of a shape that overlap (the sweep's work), in recording order unless 'reversed'. */
  function build(n: number, shape: Shape): Interval[] {
    const r = root();
    const all: Interval[] = [];
    let parent = r;
    for (let i = 0; i < n; i++) {
      const cat = PHASE_CATEGORIES[i % PHASE_CATEGORIES.length];
      if (shape === 'nested') {
        parent = iv(parent, 'n', i, 2 * n - i, cat);
        all.push(parent);
      } else if (shape === 'parallel') all.push(iv(r, 'p', i, n + i, cat, IntervalKind.ParallelTask));
      else if (shape === 'staggered') all.push(iv(r, 's', i, i + 1 + (i % 17) * 3, cat, IntervalKind.ParallelTask));
      else all.push(iv(r, 'r', n - i, n + i + 1, cat, IntervalKind.Foreign));
    }
    return all;
  }

  function comparisons(n: number, shape: Shape): number {
    const intervals = build(n, shape);
    const before = partitionComparisons();
    partition(intervals, 0, 3 * n);
    return partitionComparisons() - before;
  }

  it.each(['nested', 'parallel', 'staggered', 'reversed'] as const)('compares intervals O(n log n) times: %s', (shape) => {
    const small = comparisons(1_000, shape);
    const large = comparisons(10_000, shape);
    // A heap makes at most ~2 log2(n) comparisons per push and per pop.
    expect(large).toBeLessThanOrEqual(4 * 10_000 * Math.ceil(Math.log2(10_000)));
    // n log n grows 13.3× from 1 000 to 10 000; rescanning the active set grew 100×.
    expect(large / Math.max(1, small)).toBeLessThan(16);
  });

  it('needs no comparison at all for sequential phases (the one-pass path)', () => {
    const r = root();
    const all = Array.from({ length: 10_000 }, (_, i) => iv(r, 's', i, i + 1, 'tool_execution'));
    const before = partitionComparisons();
    const t = partition(all, 0, 10_000);
    expect(partitionComparisons() - before).toBe(0);
    expect(t.tool_execution).toBe(10_000);
  });
});
