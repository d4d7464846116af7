import { performance } from 'node:perf_hooks';

/**
 * The one monotonic clock of agent-timing: milliseconds from `performance.now()`. Durations are
 * always differences of this clock (never of Date.now(), which jumps with NTP and DST); epoch
 * time is read only to stamp when something happened.
 */
export const monotonicNow: () => number = performance.now.bind(performance);

/** Epoch milliseconds, for timestamps only. */
export const epochNow: () => number = Date.now;
