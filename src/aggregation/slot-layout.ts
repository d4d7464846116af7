import { describeForLog } from '../internal/sanitize';
import { AggregationWindow } from '../types/metric-type';

/**
 * The time-slot layout every metric series uses, and the edge semantics of windows.
 *
 * Observations are counted in slots at three resolutions. A slot lives at exactly one level at a
 * time: recent time is kept fine, older time coarse, and slots move down (merge) as they age:
 *
 *   level   slot width   holds                                          serves windows
 *   fine    10 s         the current slot, the 59 before it, and the    MINUTE, FIVE_MINUTES (and
 *                        future slots the clock skew allows             the trend's previous 5 min)
 *   medium  5 min        the 12 five-minute slots before the fine span  HOUR
 *   coarse  1 h          whole hours older than that, up to retention   DAY, WEEK
 *
 * Because a slot's data never straddles a level boundary, a window is always an exact union of
 * slots: it contains every retained observation whose timestamp is at or after
 * `windowStart(window, now)` (see below) — nothing is interpolated at the edges.
 */

/** Width of a fine slot, ms. */
export const FINE_SLOT_MS = 10_000;
/** Width of a medium slot, ms. */
export const MEDIUM_SLOT_MS = 300_000;
/** Width of a coarse slot, ms (retention is counted in these). */
export const COARSE_SLOT_MS = 3_600_000;

/** Fine slots kept at and before the current one: two FIVE_MINUTES windows, for trends. */
export const FINE_SLOTS_KEPT = 60;
/** Medium slots kept at and before the current one: one HOUR window. */
export const MEDIUM_SLOTS_KEPT = 12;

/** Index of a level: 0 fine, 1 medium, 2 coarse. */
export type LevelIndex = 0 | 1 | 2;

export const LEVEL_WIDTH_MS: readonly [number, number, number] = [FINE_SLOT_MS, MEDIUM_SLOT_MS, COARSE_SLOT_MS];

/** Longest window (ms) each level can serve on its own span. */
const LEVEL_SPAN_MS: readonly [number, number] = [FINE_SLOTS_KEPT * FINE_SLOT_MS, MEDIUM_SLOTS_KEPT * MEDIUM_SLOT_MS];

/** Edge granularity of a window: the slot width its start is aligned to. */
export function windowGranularityMs(windowMs: number): number {
  if (windowMs <= LEVEL_SPAN_MS[0]) return FINE_SLOT_MS;
  if (windowMs <= LEVEL_SPAN_MS[1]) return MEDIUM_SLOT_MS;
  return COARSE_SLOT_MS;
}

/** Validates a window (seconds, as AggregationWindow values are) and returns it in ms. */
export function windowToMs(window: AggregationWindow | number): number {
  if (typeof window !== 'number' || !Number.isFinite(window) || window <= 0) {
    throw new RangeError(
      `agent-timing: window must be an AggregationWindow (a positive number of seconds), got ${describeForLog(window)}`,
    );
  }
  return window * 1000;
}

/**
 * Start (epoch ms, inclusive) of a window ending now.
 *
 * With g the window's granularity (10 s up to 10 min, 5 min up to 1 h, 1 h beyond) and n the
 * window length in slots (rounded up), the window is the current g-slot plus the n − 1 before it:
 *
 *   start = floor(now / g) · g − (n − 1) · g,   clipped to retentionStart
 *
 * so it covers between (window − g) and window of past time, plus any future-dated observations
 * the skew allowed. Examples with now = 12:00:07: MINUTE starts 11:59:10, FIVE_MINUTES 11:55:10;
 * with now = 12:07:00, HOUR starts 11:10:00; DAY starts 13:00 the day before.
 */
export function windowStart(windowMs: number, nowMs: number, retentionStartMs: number): number {
  const g = windowGranularityMs(windowMs);
  const n = Math.ceil(windowMs / g);
  const start = Math.floor(nowMs / g) * g - (n - 1) * g;
  return start > retentionStartMs ? start : retentionStartMs;
}

/**
 * Start (epoch ms) of the oldest retained time: the current hour plus the `retentionSlots − 1`
 * whole hours before it. Observations older than this are dropped on arrival and expired from
 * memory; retention is therefore hour-aligned, keeping between retentionHours − 1 and
 * retentionHours of history.
 */
export function retentionStart(nowMs: number, retentionSlots: number): number {
  return Math.floor(nowMs / COARSE_SLOT_MS) * COARSE_SLOT_MS - (retentionSlots - 1) * COARSE_SLOT_MS;
}

/** Every AggregationWindow, shortest first. */
export const ALL_WINDOWS: readonly AggregationWindow[] = [
  AggregationWindow.MINUTE,
  AggregationWindow.FIVE_MINUTES,
  AggregationWindow.HOUR,
  AggregationWindow.DAY,
  AggregationWindow.WEEK,
];
