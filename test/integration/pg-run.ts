import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** One run of a pg scenario as the child process measured it. */
export interface ScenarioRun {
  b: {
    totalMs: number;
    databaseQueryMs: number;
    externalApiMs: number;
    queueWaitMs: number;
    overheadMs: number;
    uncategorizedMs: number;
    foreignSpanCount: number;
    phases: Record<string, number>;
  };
  truth: Record<string, number | number[]>;
}

/** Runs pg-scenarios.ts in a fresh Node process (instrumentation registered before pg loads). */
export function runScenario(scenario: string, pgUrl: string, httpUrl = ''): Promise<ScenarioRun[]> {
  const script = join(__dirname, 'pg-scenarios.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, scenario, pgUrl, httpUrl],
      {
        cwd: join(__dirname, '..', '..'),
        // NodeSDK would otherwise add OTLP metric and log exporters that nothing listens to.
        env: { ...process.env, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none' },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${scenario} failed: ${err.message}\n${stderr}`));
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as ScenarioRun[]);
        } catch {
          reject(new Error(`${scenario} printed no result:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/** |actual − expected| within max(25 ms, 15 %): the tolerance for a loaded 2-core machine. */
export function expectNear(actual: number, expected: number): void {
  const tolerance = Math.max(25, 0.15 * expected);
  if (Math.abs(actual - expected) > tolerance) {
    throw new Error(`expected ${actual.toFixed(1)} ms within ${tolerance.toFixed(1)} ms of ${expected.toFixed(1)} ms`);
  }
}

/**
 * A span-timed duration checked between two measured bounds rather than near the caller's truth:
 * at least `floorMs`, which the other side guarantees (pg_sleep, the server's delay), and at most
 * the truth measured around the call, which contains the span (+1 ms for the two clocks' rounding).
 * The truth also holds the time the caller waited for a CPU after the call had ended: 170 ms of
 * truth for a 135 ms fetch span with two busy loops on two cores, past expectNear's 25 ms. Here the
 * margin is that measured wait itself. Missing or double-counted time still fails.
 */
export function expectBetween(actual: number, floorMs: number, truthMs: number): void {
  if (actual < floorMs || actual > truthMs + 1) {
    throw new Error(`expected ${actual.toFixed(1)} ms between ${floorMs} ms (guaranteed) and ${truthMs.toFixed(1)} ms (measured around the call)`);
  }
}
