import type { BreakdownCategory } from './categories';
import type { Interval } from './interval';
import { resolveCategories } from './resolve-categories';

/** Milliseconds per breakdown category over one execution window. */
export type CategoryTotals = Record<BreakdownCategory, number>;

export function emptyTotals(): CategoryTotals {
  return {
    initialization: 0,
    tool_execution: 0,
    llm_processing: 0,
    websocket_notification: 0,
    database_query: 0,
    external_api: 0,
    queue_wait: 0,
    overhead: 0,
    uncategorized: 0,
  };
}

interface Event {
  t: number;
  /** +1 opens, -1 closes. */
  delta: 1 | -1;
  i: number;
}

/**
 * Partitions the window [windowStart, windowEnd] among intervals so that every instant counts for
 * exactly one category:
 * - an instant no interval covers is `overhead`;
 * - otherwise the instant belongs to the deepest covering interval (a child's time is the child's,
 *   never also its parent's); among equally deep ones (parallel siblings) to the one that ends last
 *   — the one the parent is actually waiting for — then the one that started first;
 * - the winner's category (see resolveCategories), or `uncategorized` when it has none.
 * Open intervals (end NaN) run to `windowEnd`. The result sums to the window length.
 * O(n log n) in the number of intervals; run at breakdown time, never per span.
 */
export function partition(intervals: readonly Interval[], windowStart: number, windowEnd: number): CategoryTotals {
  const totals = emptyTotals();
  const categories = resolveCategories(intervals);
  const length = Math.max(0, windowEnd - windowStart);
  if (length === 0) return totals;

  const starts: number[] = [];
  const ends: number[] = [];
  const events: Event[] = [];
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i];
    const s = Math.max(iv.start, windowStart);
    const rawEnd = iv.end === iv.end ? iv.end : windowEnd;
    const e = Math.min(rawEnd, windowEnd);
    starts.push(s);
    ends.push(e);
    if (e > s) {
      events.push({ t: s, delta: 1, i }, { t: e, delta: -1, i });
    }
  }
  // Closing before opening at the same instant keeps zero-width overlaps out of the active set.
  // Intervals are recorded in start order, so for sequential phases the events already are in
  // order: check in one pass and sort only when they are not.
  const before = (a: Event, b: Event): number => a.t - b.t || a.delta - b.delta;
  for (let k = 1; k < events.length; k++) {
    if (before(events[k - 1], events[k]) > 0) {
      events.sort(before);
      break;
    }
  }

  const active = new Set<number>();
  let cursor = windowStart;
  let winner = -1;
  const beats = (a: number, b: number): boolean => {
    const ia = intervals[a];
    const ib = intervals[b];
    if (ia.depth !== ib.depth) return ia.depth > ib.depth;
    if (ends[a] !== ends[b]) return ends[a] > ends[b];
    if (starts[a] !== starts[b]) return starts[a] < starts[b];
    return a < b;
  };
  const credit = (until: number): void => {
    const span = until - cursor;
    if (span <= 0) return;
    if (winner < 0) totals.overhead += span;
    else totals[categories.get(intervals[winner]) ?? 'uncategorized'] += span;
    cursor = until;
  };

  for (let k = 0; k < events.length; ) {
    const t = events[k].t;
    credit(t);
    // Apply every event at this instant before choosing the next winner.
    let changed = false;
    while (k < events.length && events[k].t === t) {
      const ev = events[k++];
      if (ev.delta === 1) active.add(ev.i);
      else active.delete(ev.i);
      changed = true;
    }
    if (changed) {
      winner = -1;
      for (const i of active) if (winner < 0 || beats(i, winner)) winner = i;
    }
  }
  credit(windowEnd);

  // Summing many float segments drifts by ~1e-12; give the drift to overhead so the partition is
  // exact against the window length, which is what users check.
  let others = 0;
  for (const key of Object.keys(totals) as BreakdownCategory[]) if (key !== 'overhead') others += totals[key];
  const overhead = length - others;
  totals.overhead = overhead > 0 ? overhead : 0;
  return totals;
}
