import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The published declarations carry the public API only: the build strips `@internal` members
// (tsconfig.build.json stripInternal). `npm test` builds dist/ first (pretest).
const DIST = join(__dirname, '../../dist/cjs');

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarationFiles(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

const read = (rel: string) => readFileSync(join(DIST, rel), 'utf8');
/** A class member declaration of that name (field, getter or method) in a .d.ts. */
const declares = (member: string) => new RegExp(`^\\s+(readonly |private |get )?${member}[?(:]`, 'm');

describe('the published typings', () => {
  it('contain no @internal member anywhere', () => {
    const files = declarationFiles(DIST);
    expect(files.length).toBeGreaterThan(50);
    const withInternal = files.filter((f) => readFileSync(f, 'utf8').includes('@internal'));
    expect(withInternal).toEqual([]);
  });

  it("do not show the collector's state, finishTimer or evict", () => {
    const d = read('api/collector.d.ts');
    expect(d).toMatch(/class EnhancedExecutionTimingCollector/);
    expect(d).toMatch(/complete\(result\?: CompletionResult\): TimingBreakdown;/);
    for (const member of ['state', 'finishTimer', 'evict']) expect(d).not.toMatch(declares(member));
    // An implements clause naming an internal interface would break a consumer's type check.
    expect(d).not.toMatch(/class \w+( extends \w+)? implements/);
  });

  it("do not show PhaseTimer's interval bookkeeping", () => {
    const d = read('api/phase-timer.d.ts');
    expect(d).toMatch(/class PhaseTimer/);
    expect(d).toMatch(/stop\(\): number \| undefined;/);
    for (const member of ['prevSameName', 'slot', 'end', 'depth', 'resolved', 'level', 'ctx', 'owner', 'kind', 'start', 'parent', 'category', 'metricType', 'interval']) {
      expect(d).not.toMatch(declares(member));
    }
    expect(d).not.toMatch(/class PhaseTimer implements/);
  });
});
