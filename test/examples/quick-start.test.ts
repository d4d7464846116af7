import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('examples/quick-start.ts', () => {
  it('runs and prints a consistent breakdown', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'examples/quick-start.ts')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const num = (label: RegExp) => Number(label.exec(out)?.[1]);
    const total = num(/Total execution: ([\d.]+)ms/);
    const init = num(/Initialization: ([\d.]+)ms/);
    const tools = num(/tools: ([\d.]+)ms/);
    const efficiency = num(/Efficiency: ([\d.]+)%/);
    // The example sleeps 20 and 50 ms with timers/promises, whose timers may fire up to 1 ms early
    // against performance.now() (libuv's millisecond loop clock), up to 2 ms where libuv reads a
    // 1 ms coarse clock (kernels with HZ=1000); tests' own sleep() waits it out, the example cannot.
    expect(init).toBeGreaterThanOrEqual(18);
    expect(tools).toBeGreaterThanOrEqual(48);
    expect(total).toBeGreaterThanOrEqual(init + tools - 0.2);
    expect(efficiency).toBeGreaterThan(50);
    expect(efficiency).toBeLessThanOrEqual(100);
  });
});
