import fc from 'fast-check';
import { criticalPath } from '../../src/timing/critical-path';
import { IntervalKind, type Interval } from '../../src/timing/interval';
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
