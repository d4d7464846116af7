import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../../src/version';

const root = join(__dirname, '..', '..');

/** A throwaway project whose node_modules/agent-timing points at this repository (as npm link would). */
function consumer(): { dir: string; run: (file: string, code: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'agent-timing-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'agent-timing'), 'dir');
  return {
    dir,
    run: (file, code) => {
      writeFileSync(join(dir, file), code);
      return execFileSync(process.execPath, [join(dir, file)], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    },
  };
}

describe('the built package', () => {
  const c = consumer();
  afterAll(() => rmSync(c.dir, { recursive: true, force: true }));

  it('is built (npm test builds it first)', () => {
    expect(existsSync(join(root, 'dist/cjs/index.js'))).toBe(true);
    expect(existsSync(join(root, 'dist/cjs/index.d.ts'))).toBe(true);
    expect(existsSync(join(root, 'dist/esm/index.mjs'))).toBe(true);
    expect(existsSync(join(root, 'dist/esm/index.d.mts'))).toBe(true);
  });

  it('works from require()', () => {
    const out = c.run(
      'cjs.cjs',
      `const { EnhancedExecutionTimingCollector, MetricType } = require('agent-timing');
       const col = new EnhancedExecutionTimingCollector({ agentName: 'cjs' });
       col.startPhase('initialization'); col.stopPhase('initialization');
       console.log(MetricType.TTFT, col.complete().completed);`,
    );
    expect(out.trim()).toBe('time_to_first_token true');
  });

  it('works from import, sharing one instance with require()', () => {
    const out = c.run(
      'esm.mjs',
      `import { EnhancedExecutionTimingCollector, getGlobalAggregator } from 'agent-timing';
       import { createRequire } from 'node:module';
       const require = createRequire(import.meta.url);
       const cjs = require('agent-timing');
       const col = new EnhancedExecutionTimingCollector({ agentName: 'esm' });
       console.log(col.complete().agentName, cjs.getGlobalAggregator() === getGlobalAggregator());`,
    );
    expect(out.trim()).toBe('esm true');
  });

  it('keeps VERSION equal to package.json', () => {
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version).toBe(VERSION);
  });
});
