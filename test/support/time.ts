/** Real sleeps: the SDK measures with the monotonic clock, so tests use real time, kept short. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Busy-waits (for synchronous phases that must take measurable time). */
export function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** Sum of a breakdown's categories (the library's own helper: tests check it equals totalMs). */
export { sumOfCategories as categorySum } from '../../src/timing/timing-breakdown';
