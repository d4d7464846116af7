import type { BreakdownCategory, PhaseCategory } from './categories';
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

/** Scratch buffers reused across calls (partition is synchronous and never re-entered): small
 *  typed arrays are costly to allocate, and a breakdown is taken for every completed execution. */
let scratch = { starts: new Float64Array(64), ends: new Float64Array(64), times: new Float64Array(128), codes: new Int32Array(128) };

function buffers(n: number): typeof scratch {
  if (scratch.starts.length < n) {
    const size = Math.max(n, scratch.starts.length * 2);
    scratch = { starts: new Float64Array(size), ends: new Float64Array(size), times: new Float64Array(2 * size), codes: new Int32Array(2 * size) };
  }
  return scratch;
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
 * A sweep over start/end events: O(n log n) in the number of intervals, O(n) when they are already
 * in order (sequential phases). Runs at breakdown time, never per span.
 */
export function partition(intervals: readonly Interval[], windowStart: number, windowEnd: number): CategoryTotals {
  const totals = emptyTotals();
  const length = Math.max(0, windowEnd - windowStart);
  if (length === 0) return totals;
  const categories = resolveCategories(intervals);

  const n = intervals.length;
  // Events: time, and a code = interval index × 2 + (0 closes, 1 opens). Closing sorts before
  // opening at the same instant, which keeps zero-width overlaps out of the active set.
  const { starts, ends, times, codes } = buffers(n);
  let m = 0;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const iv = intervals[i];
    const s = iv.start > windowStart ? iv.start : windowStart;
    const rawEnd = iv.end === iv.end ? iv.end : windowEnd;
    const e = rawEnd < windowEnd ? rawEnd : windowEnd;
    starts[i] = s;
    ends[i] = e;
    if (e > s) {
      if (m > 0 && (times[m - 1] > s || (times[m - 1] === s && (codes[m - 1] & 1) === 1))) sorted = false;
      times[m] = s;
      codes[m++] = i * 2 + 1;
      times[m] = e;
      codes[m++] = i * 2;
    }
  }
  let order: Int32Array | undefined;
  if (!sorted) {
    order = new Int32Array(m);
    for (let k = 0; k < m; k++) order[k] = k;
    order.sort((a, b) => times[a] - times[b] || (codes[a] & 1) - (codes[b] & 1));
  }

  const active: number[] = [];
  let cursor = windowStart;
  let winner = -1;
  const beats = (a: number, b: number): boolean => {
    const da = intervals[a].depth;
    const db = intervals[b].depth;
    if (da !== db) return da > db;
    if (ends[a] !== ends[b]) return ends[a] > ends[b];
    if (starts[a] !== starts[b]) return starts[a] < starts[b];
    return a < b;
  };
  const credit = (until: number): void => {
    const span = until - cursor;
    if (span <= 0) return;
    if (winner < 0) totals.overhead += span;
    else totals[(categories[winner] as PhaseCategory | undefined) ?? 'uncategorized'] += span;
    cursor = until;
  };

  for (let k = 0; k < m; ) {
    const t = times[order ? order[k] : k];
    credit(t);
    // Apply every event at this instant before choosing the next winner.
    while (k < m) {
      const e = order ? order[k] : k;
      if (times[e] !== t) break;
      k++;
      const i = codes[e] >> 1;
      if (codes[e] & 1) active.push(i);
      else {
        const at = active.lastIndexOf(i);
        if (at >= 0) {
          active[at] = active[active.length - 1];
          active.pop();
        }
      }
    }
    winner = -1;
    for (let a = 0; a < active.length; a++) if (winner < 0 || beats(active[a], winner)) winner = active[a];
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
