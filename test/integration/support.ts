import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/**
 * Runs a fixture under test/integration/fixtures in its own node process (real module loading,
 * so module instrumentations hook as they do for users; `agent-timing` is the built package) and
 * returns its last stdout line as JSON.
 */
export async function runFixture<T>(file: string, args: string[] = []): Promise<T> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'test/integration/fixtures', file), ...args], {
    cwd: ROOT,
    env: { ...process.env, OTEL_LOG_LEVEL: 'error' },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** The tolerance for a category's time: max(25 ms, 15 % of the truth). */
export function expectNear(measured: number, truth: number, what: string): void {
  const tolerance = Math.max(25, 0.15 * truth);
  if (Math.abs(measured - truth) > tolerance) {
    throw new Error(`${what}: ${measured.toFixed(1)} ms measured, ${truth.toFixed(1)} ms true (tolerance ±${tolerance.toFixed(1)} ms)`);
  }
}

/** TTFT within 40 ms of the first visible text. */
export function expectTtft(measured: number | undefined, truth: number): void {
  if (measured === undefined) throw new Error('no TTFT recorded');
  if (Math.abs(measured - truth) > 40) throw new Error(`TTFT ${measured.toFixed(1)} ms, first visible text at ${truth.toFixed(1)} ms (tolerance ±40 ms)`);
}
