import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { executionRegistry } from '../../src/api/execution-registry';
import { limits, resetLimits } from '../../src/internal/limits';

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
    executionRegistry.reset();
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
      executionRegistry.reset();
      expect(executionRegistry.size).toBe(0);
    } finally {
      resetLimits();
      executionRegistry.reset();
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
});
