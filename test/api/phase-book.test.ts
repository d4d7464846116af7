import fc from 'fast-check';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { lazilyUnlinked } from '../../src/api/phase-book';
import type { PhaseTimer } from '../../src/api/phase-timer';

describe('PhaseBook: timers of one name, stopped in any order', () => {
  /** A step: start a task of a name, stop one of the running ones by its timer, or stop by name (the latest). */
  const step = fc.oneof(
    fc.record({ op: fc.constant('start' as const), name: fc.constantFrom('a', 'b') }),
    fc.record({ op: fc.constant('stopTimer' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('stopByName' as const), name: fc.constantFrom('a', 'b') }),
  );

  it('stop by name stops the latest running one, and open tasks are exactly the running ones (property, against a model)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.boolean(), (steps, parallel) => {
        const c = new EnhancedExecutionTimingCollector({ agentName: 'book' });
        const model: PhaseTimer[] = []; // running timers, oldest first
        for (const s of steps) {
          if (s.op === 'start') model.push(parallel ? c.startParallelTask(s.name) : c.startPhase(s.name));
          else if (s.op === 'stopTimer') {
            if (!model.length) continue;
            const t = model.splice(s.pick % model.length, 1)[0];
            expect(t.stop()).toBeGreaterThanOrEqual(0);
          } else {
            const at = model.map((t) => t.name).lastIndexOf(s.name);
            const d = parallel ? c.stopParallelTask(s.name) : c.stopPhase(s.name);
            if (at < 0) expect(d).toBeUndefined();
            else {
              const [t] = model.splice(at, 1);
              expect(t.running).toBe(false);
              expect(d).toBe(t.durationMs);
            }
          }
          for (const t of model) expect(t.running).toBe(true);
          expect([...c.getBreakdown().openPhases].sort()).toEqual(model.map((t) => t.name).sort());
        }
      }),
      { numRuns: 300 },
    );
  });

  /** Starts n tasks of one name, stops them oldest first; returns the timers dropped lazily. */
  function oldestFirst(n: number): number {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'book' });
    const timers = Array.from({ length: n }, () => c.startParallelTask('same'));
    const before = lazilyUnlinked();
    for (const t of timers) t.stop();
    const dropped = lazilyUnlinked() - before;
    expect(c.getBreakdown().openPhases).toEqual([]);
    c.complete();
    return dropped;
  }

  it('stopping n same-name tasks oldest first does O(n) work in all (it walked the list at every stop)', () => {
    // Every stop but the last is of a timer below the latest: left in place, O(1); the last stop
    // drops them all, once each.
    expect(oldestFirst(1_000)).toBe(999);
    expect(oldestFirst(10_000)).toBe(9_999);
  });
});
