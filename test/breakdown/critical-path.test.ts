import fc from 'fast-check';
import { criticalPath, criticalPathSteps } from '../../src/breakdown/critical-path';
import { oracleCriticalPath } from './critical-path-oracle';
import { IntervalKind, type Interval } from '../../src/breakdown/interval';
import { iv, root } from '../support/intervals';

const total = (entries: { durationMs: number }[]): number => entries.reduce((a, e) => a + e.durationMs, 0);

describe('criticalPath (Jaeger algorithm)', () => {
  it('walks sequential phases and gives gaps to the parent', () => {
    const r = root();
    const a = iv(r, 'a', 10, 30);
    const b = iv(r, 'b', 40, 90);
    const path = criticalPath(r, [a, b], 100, 'agent');
    expect(path.map((e) => [e.operation, e.startOffsetMs, e.durationMs])).toEqual([
      ['agent', 0, 10],
      ['a', 10, 20],
      ['agent', 30, 10],
      ['b', 40, 50],
      ['agent', 90, 10],
    ]);
    expect(total(path)).toBe(100);
  });

  it('follows the last-finishing child and skips siblings that overlap it', () => {
    const r = root();
    const slow = iv(r, 'slow', 0, 80, undefined, IntervalKind.ParallelTask);
    const fast = iv(r, 'fast', 5, 40, undefined, IntervalKind.ParallelTask);
    const path = criticalPath(r, [slow, fast], 100, 'agent');
    expect(path.map((e) => e.operation)).toEqual(['slow', 'agent']);
    expect(path.find((e) => e.operation === 'fast')).toBeUndefined();
    expect(total(path)).toBe(100);
  });

  it('descends into nested children and clips children to their parent', () => {
    const r = root();
    const p = iv(r, 'p', 0, 50);
    const c = iv(p, 'c', 10, 70); // ends after its parent: clipped to 50
    const path = criticalPath(r, [p, c], 60, 'agent');
    expect(path.map((e) => [e.operation, e.startOffsetMs, e.durationMs])).toEqual([
      ['p', 0, 10],
      ['c', 10, 40],
      ['agent', 50, 10],
    ]);
  });

  it('takes a child that ends exactly where the next one starts', () => {
    const r = root();
    const path = criticalPath(r, [iv(r, 'a', 0, 50), iv(r, 'b', 50, 100)], 100, 'agent');
    expect(path.map((e) => e.operation)).toEqual(['a', 'b']);
  });

  it('always tiles the total (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true })), {
          maxLength: 30,
        }),
        (specs) => {
          const r = root();
          const all: Interval[] = [];
          for (const [pick, x, y] of specs) {
            const parent = all.length && pick % 2 ? all[pick % all.length] : r;
            all.push(iv(parent, `n${all.length}`, Math.min(x, y), Math.max(x, y)));
          }
          const path = criticalPath(r, all, 100, 'agent');
          expect(Math.abs(total(path) - 100)).toBeLessThan(1e-9);
          for (let k = 1; k < path.length; k++) {
            expect(Math.abs(path[k].startOffsetMs - (path[k - 1].startOffsetMs + path[k - 1].durationMs))).toBeLessThan(1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('criticalPath: same results as before, in linear walks', () => {
  /** Random trees: children inside, across or outside their parents, some open, starts in any order. */
  const treeArb = fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.boolean()), { maxLength: 40 })
    .map((specs) => {
      const r = root();
      const all: Interval[] = [];
      for (const [pick, x, y, open] of specs) {
        const parent = all.length && pick % 3 ? all[pick % all.length] : r;
        all.push(iv(parent, `n${all.length}`, Math.min(x, y), open && pick % 5 === 0 ? NaN : Math.max(x, y), undefined, pick % 2 ? IntervalKind.ParallelTask : IntervalKind.Phase));
      }
      return { r, all };
    });

  it('gives exactly what the former implementation gave (property, against the oracle)', () => {
    fc.assert(
      fc.property(treeArb, fc.integer({ min: 1, max: 70 }), ({ r, all }, end) => {
        expect(criticalPath(r, all, end, 'agent')).toEqual(oracleCriticalPath(r, all, end, 'agent'));
      }),
      { numRuns: 500 },
    );
  });

  /** Children visited for n intervals of a shape. */
  function work(n: number, shape: 'sequential' | 'nested' | 'parallel'): number {
    const r = root();
    const all: Interval[] = [];
    let parent = r;
    for (let i = 0; i < n; i++) {
      const x =
        shape === 'sequential' ? iv(r, 's', i, i + 1) : shape === 'nested' ? iv(parent, 'n', i, 2 * n - i) : iv(r, 'p', i, n + i, undefined, IntervalKind.ParallelTask);
      all.push(x);
      if (shape === 'nested') parent = x;
    }
    const before = criticalPathSteps();
    criticalPath(r, all, 2 * n + 1, 'agent');
    return criticalPathSteps() - before;
  }

  it.each(['sequential', 'nested', 'parallel'] as const)('visits each child a bounded number of times: %s work grows linearly', (shape) => {
    const small = work(1_000, shape);
    const large = work(10_000, shape);
    expect(large).toBeLessThanOrEqual(2 * 10_000 + 2);
    expect(large / small).toBeLessThan(11); // quadratic would be ~100
  });
});
