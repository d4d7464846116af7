import { performance } from 'node:perf_hooks';

/**
 * The one monotonic clock of agent-timing: milliseconds from `performance.now()`. Durations are
 * always differences of this clock (never of Date.now(), which jumps with NTP and DST); epoch
 * time is read only to stamp when something happened.
 */
export const monotonicNow: () => number = performance.now.bind(performance);

/** Epoch milliseconds, for timestamps only. */
export const epochNow: () => number = Date.now;

/**
 * A time on the monotonic clock: a `performance.now()` reading is kept, epoch ms (or a Date) is
 * moved onto it. Told apart as OpenTelemetry tells span times apart: numbers below
 * `performance.timeOrigin` are `performance.now()` readings. Undefined when `at` is not a time.
 */
export function toMonotonic(at: unknown): number | undefined {
  let ms: unknown = at;
  if (typeof at === 'object' && at !== null) {
    try {
      // instanceof and getTime() run a Proxy's traps: a hostile one must not reach the caller.
      ms = at instanceof Date ? at.getTime() : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined;
  return ms < performance.timeOrigin ? ms : ms - performance.timeOrigin;
}
