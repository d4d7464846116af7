import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { executionRegistry } from '../../src/api/execution-registry';

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

  it('keeps the last small ended execution alive (the hidden-class anchor), and only that one', () => {
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
        const first = run(5); await settle();
        out.lastKept = first.deref() !== undefined;
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
      lastKept: true,
      manyPhasesKept: false,
      manyMetricsKept: false,
      smallKeptOverThem: true,
      firstReleased: true,
      secondKept: true,
      releasedOnRequest: true,
    });
  });
});
