/**
 * Real sleeps of at least `ms` on the monotonic clock the SDK measures with. A bare `setTimeout`
 * is not enough: libuv schedules timers against a millisecond loop time cached at the start of the
 * iteration, so a 10 ms timer can fire after 9.8 ms of `performance.now()` and a test asserting a
 * lower bound flakes (CI saw 14.83 ms for 10 + 5 ms of sleeps).
 */
export async function sleep(ms: number): Promise<void> {
  const end = performance.now() + ms;
  let left = ms;
  do {
    // Always one timer, even for 0 ms: callers rely on sleep() yielding to the event loop.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.ceil(left))));
    left = end - performance.now();
  } while (left > 0);
}

/** Busy-waits (for synchronous phases that must take measurable time). */
export function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** Sum of a breakdown's categories (the library's own helper: tests check it equals totalMs). */
export { sumOfCategories as categorySum } from '../../src/breakdown/timing-breakdown';
