/**
 * Promise 5 — soak. A child process with --expose-gc (fixtures/soak.ts) runs 1 000 000 executions
 * with telemetry set up as in production (tracer and meter providers, breakdown processor and
 * sampler, histograms; no exporter), 10 % of them abandoned with a phase still running. After the
 * eviction time the retained heap is within 50 MB of where it started, and the number of evicted
 * executions equals the number abandoned: nothing in flight is forgotten or kept.
 */
import { runFixture } from './support/child';

interface SoakResult {
  executions: number;
  abandoned: number;
  abandonAfterMs: number;
  runMs: number;
  heapStart: number;
  heapPeak: number;
  heapAfterRun: number;
  heapEnd: number;
  inFlightAfterRun: number;
  inFlightEnd: number;
  started: number;
  completed: number;
  evicted: number;
}

const MB = 1024 * 1024;

describe('soak: 1 000 000 executions, 10 % abandoned', () => {
  let r: SoakResult;

  beforeAll(async () => {
    // ~20–35 s of one core (≈ 20–35 µs per execution with the SDK); the bound leaves room for a loaded machine.
    const run = await runFixture<SoakResult>('soak.ts', ['1000000', '1000'], { timeoutMs: 170_000 });
    r = run.result;
    const mb = (n: number) => (n / MB).toFixed(1);
    console.log(
      `soak: ${r.executions} executions in ${(r.runMs / 1000).toFixed(1)} s (${((r.runMs * 1000) / r.executions).toFixed(1)} µs each); ` +
        `heap ${mb(r.heapStart)} MB at start, ${mb(r.heapPeak)} MB peak (before GC), ${mb(r.heapAfterRun)} MB after the run ` +
        `(${r.inFlightAfterRun} in flight), ${mb(r.heapEnd)} MB after eviction; evicted ${r.evicted} of ${r.abandoned} abandoned`,
    );
  }, 180_000);

  it('runs every execution', () => {
    expect(r.started).toBe(1_000_000);
    expect(r.completed).toBe(900_000);
    expect(r.abandoned).toBe(100_000);
  });

  it('evicts exactly the abandoned executions', () => {
    expect(r.evicted).toBe(r.abandoned);
    expect(r.inFlightEnd).toBe(0);
  });

  it('returns the heap to within 50 MB of its start after the eviction time', () => {
    expect(r.heapEnd - r.heapStart).toBeLessThan(50 * MB);
  });
});
