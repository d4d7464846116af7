import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { executionRegistry } from '../../src/api/execution-registry';
import { limits } from '../../src/internal/limits';
import { resetForTests } from '../../src/setup/reset-for-tests';

describe('executionRegistry', () => {
  it('tracks executions in flight: added when they start, removed when they end', () => {
    const before = executionRegistry.size;
    const a = new EnhancedExecutionTimingCollector();
    const b = new EnhancedExecutionTimingCollector();
    expect(executionRegistry.size).toBe(before + 2);
    a.complete();
    b.discard();
    expect(executionRegistry.size).toBe(before);
  });

  it('evicts the oldest execution still in flight, whichever ended in between (first, middle or last)', () => {
    resetForTests();
    limits.maxExecutionsInFlight = 5;
    try {
      const c = Array.from({ length: 5 }, (_, i) => new EnhancedExecutionTimingCollector({ agentName: `a${i}` }));
      c[0].complete();
      c[2].complete();
      c[4].discard();
      expect(executionRegistry.size).toBe(2);
      // Three more fill the registry (5); each further one evicts the oldest still open: c1, c3, then d0.
      const d = Array.from({ length: 3 }, () => new EnhancedExecutionTimingCollector());
      expect(executionRegistry.size).toBe(5);
      expect(c[1].completed || c[3].completed).toBe(false);
      new EnhancedExecutionTimingCollector();
      expect([c[1].completed, c[3].completed, d[0].completed]).toEqual([true, false, false]);
      new EnhancedExecutionTimingCollector();
      expect([c[3].completed, d[0].completed]).toEqual([true, false]);
      new EnhancedExecutionTimingCollector();
      expect([d[0].completed, d[1].completed]).toEqual([true, false]);
      expect(executionRegistry.size).toBe(5);
      expect(executionRegistry.evictedByCount).toBe(3);
      // An evicted or ended execution is off the list: completing it again changes nothing.
      c[1].complete();
      d[0].complete();
      expect(executionRegistry.size).toBe(5);
      resetForTests();
      expect(executionRegistry.size).toBe(0);
    } finally {
      resetForTests();
    }
  });

  it('keeps the last small ended execution alive (the hidden-class anchor), and only that one; a large one only until a small one ends', () => {
    // Reachability needs a real GC, so this runs in a child with --expose-gc. WeakRef targets stay
    // alive until the end of the current job, hence the awaits between the steps.
    const script = `
      const { EnhancedExecutionTimingCollector } = require(${JSON.stringify(join(__dirname, '../../src/api/collector.ts'))});
      const { executionRegistry } = require(${JSON.stringify(join(__dirname, '../../src/api/execution-registry.ts'))});
      const tick = () => new Promise((r) => setImmediate(r));
      const settle = async () => { await tick(); gc(); await tick(); };
      const run = (phases, metrics = 0) => {
        const c = new EnhancedExecutionTimingCollector({ agentName: 'anchor' });
        for (let i = 0; i < phases; i++) c.startPhase('p' + (i % 7)).stop();
        for (let i = 0; i < metrics; i++) c.addMetric('tool_execution', i);
        c.complete();
        return new WeakRef(c);
      };
      (async () => {
        const out = {};
        const bigFirst = run(100); await settle();
        out.largeKeptWhileNoSmall = bigFirst.deref() !== undefined;
        const first = run(5); await settle();
        out.lastKept = first.deref() !== undefined;
        out.largeReleasedBySmall = bigFirst.deref() === undefined;
        const big = run(100); await settle();
        out.manyPhasesKept = big.deref() !== undefined;
        const chatty = run(5, 20); await settle();
        out.manyMetricsKept = chatty.deref() !== undefined;
        out.smallKeptOverThem = first.deref() !== undefined;
        const second = run(5); await settle();
        out.firstReleased = first.deref() === undefined;
        out.secondKept = second.deref() !== undefined;
        executionRegistry.releaseAnchor(); await settle();
        out.releasedOnRequest = second.deref() === undefined;
        console.log(JSON.stringify(out));
      })();`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(out)).toEqual({
      largeKeptWhileNoSmall: true,
      lastKept: true,
      largeReleasedBySmall: true,
      manyPhasesKept: false,
      manyMetricsKept: false,
      smallKeptOverThem: true,
      firstReleased: true,
      secondKept: true,
      releasedOnRequest: true,
    });
  });

  describe('per-execution abandon times (one list per time)', () => {
    afterEach(() => {
      resetForTests();
    });
    /** A collector started with the abandon time a processor would offer while its span starts. */
    const startWith = (ms: number, agentName = `t${ms}`) => {
      executionRegistry.offerAbandonAfterMs(ms);
      return new EnhancedExecutionTimingCollector({ agentName });
    };

    it("a sweep looks at each list's oldest execution and at those it evicts, not at every execution in flight", () => {
      resetForTests();
      const long = Array.from({ length: 2_000 }, () => new EnhancedExecutionTimingCollector()); // the default, 600 s
      const shortOnes = Array.from({ length: 3 }, () => startWith(60_000));
      const mid = Array.from({ length: 500 }, () => startWith(120_000));
      const now = Math.max(...[...long, ...shortOnes, ...mid].map((c) => c.state.startMs)) + 61_000;
      const before = executionRegistry.sweepVisits;
      expect(executionRegistry.sweep(now)).toBe(3);
      // 3 evicted + one look at the head of each list still holding executions (the default's, the 120 s one's).
      expect(executionRegistry.sweepVisits - before).toBe(3 + 2);
      expect(shortOnes.every((c) => c.completed)).toBe(true);
      expect(long.some((c) => c.completed) || mid.some((c) => c.completed)).toBe(false);
      expect(executionRegistry.size).toBe(2_500);
    });

    it('at the in-flight cap evicts the oldest execution across all lists', () => {
      resetForTests();
      limits.maxExecutionsInFlight = 3;
      const first = startWith(60_000);
      const second = new EnhancedExecutionTimingCollector();
      const third = startWith(30_000);
      const fourth = new EnhancedExecutionTimingCollector();
      expect([first.completed, second.completed, third.completed, fourth.completed]).toEqual([true, false, false, false]);
      new EnhancedExecutionTimingCollector();
      expect(second.completed).toBe(true);
      expect(third.completed).toBe(false);
    });

    it('keeps at most 16 lists: past them a new time reuses an empty list, else joins the nearest shorter time', () => {
      resetForTests();
      // The default list plus 15 processor times, each with an execution in flight.
      const held = Array.from({ length: 15 }, (_, i) => startWith(100_000 * (i + 1)));
      expect(held.map((c) => executionRegistry.abandonAfterMsOf(c))).toEqual(held.map((_, i) => 100_000 * (i + 1)));
      expect(executionRegistry.abandonAfterMsOf(startWith(250_000))).toBe(200_000); // nearest shorter
      expect(executionRegistry.abandonAfterMsOf(startWith(50_000))).toBe(100_000); // none shorter: the shortest
      held[4].complete(); // the 500 s list is now empty: a new time takes it over
      expect(executionRegistry.abandonAfterMsOf(startWith(420_000))).toBe(420_000);
      expect(held.slice(0, 4).every((c) => executionRegistry.abandonAfterMsOf(c) === 100_000 * (held.indexOf(c) + 1))).toBe(true);
    });
  });
});
