import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { EnhancedExecutionTimingCollector } from '../../src/timing/collector';
import { executionRegistry } from '../../src/timing/execution-registry';

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
      const { EnhancedExecutionTimingCollector } = require(${JSON.stringify(join(__dirname, '../../src/timing/collector.ts'))});
      const tick = () => new Promise((r) => setImmediate(r));
      const run = (phases) => {
        const c = new EnhancedExecutionTimingCollector({ agentName: 'anchor' });
        for (let i = 0; i < phases; i++) c.startPhase('p' + (i % 7)).stop();
        c.complete();
        return new WeakRef(c);
      };
      (async () => {
        const out = {};
        const first = run(5); await tick(); gc(); await tick();
        out.lastKept = first.deref() !== undefined;
        const big = run(300); await tick(); gc(); await tick();
        out.bigKept = big.deref() !== undefined;
        out.smallKeptOverBig = first.deref() !== undefined;
        const second = run(5); await tick(); gc(); await tick();
        out.firstReleased = first.deref() === undefined;
        out.secondKept = second.deref() !== undefined;
        console.log(JSON.stringify(out));
      })();`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(out)).toEqual({ lastKept: true, bigKept: false, smallKeptOverBig: true, firstReleased: true, secondKept: true });
  });
});
