/**
 * Test-only oracle: partition() as it was before the heap sweep and transparent spans (git
 * 5e2a5a7), kept verbatim apart from this header and the inlined resolveCategory. Its sweep
 * rescans every active interval per event (quadratic when many overlap), which is why it was
 * replaced; on trees without unclassified foreign spans the new partition() must give exactly
 * its results (test/breakdown/partition-scaling.test.ts).
 */
import { BREAKDOWN_CATEGORIES, type BreakdownCategory, type PhaseCategory } from '../../src/breakdown/categories';
import { IntervalKind, type Interval } from '../../src/breakdown/interval';

/** resolveCategory as it was: an unclassified foreign span inherits its parent's category. */
function resolveCategory(iv: Interval): PhaseCategory | undefined {
  let c: PhaseCategory | undefined;
  if (iv.kind !== IntervalKind.Foreign) c = iv.category;
  else {
    const p = iv.parent;
    const inherited = p === undefined ? undefined : p.kind === IntervalKind.Root ? undefined : p.resolved;
    const own = iv.category;
    c = own === undefined || (own === 'external_api' && inherited === 'llm_processing') ? inherited : own;
  }
  iv.resolved = c;
  return c;
}

/** Milliseconds per breakdown category over one execution window. */
export type CategoryTotals = Record<BreakdownCategory, number>;

/** Index of each category in BREAKDOWN_CATEGORIES: the sweep sums into a typed array by index,
 *  which is several times cheaper than keyed stores into an object. */
const CODE = Object.freeze(Object.fromEntries(BREAKDOWN_CATEGORIES.map((c, i) => [c, i])) as Record<BreakdownCategory, number>);
const OVERHEAD = CODE.overhead;
const UNCATEGORIZED = CODE.uncategorized;

/** Scratch buffers reused across calls (partition is synchronous and never re-entered): small
 *  typed arrays are costly to allocate, and a breakdown is taken for every completed execution. */
function allocate(n: number) {
  return {
    starts: new Float64Array(n),
    ends: new Float64Array(n),
    depths: new Int32Array(n),
    cats: new Int32Array(n),
    times: new Float64Array(2 * n),
    codes: new Int32Array(2 * n),
    order: new Int32Array(2 * n),
    active: new Int32Array(n),
  };
}
let scratch = allocate(64);
const sums = new Float64Array(BREAKDOWN_CATEGORIES.length);

function buffers(n: number): typeof scratch {
  if (scratch.starts.length < n) scratch = allocate(Math.max(n, scratch.starts.length * 2));
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
 * Sequential phases take one pass (disjointPrefix); from the first overlap on, a sweep over
 * start/end events: O(n log n) in the number of intervals, O(n) when they are (nearly) in order.
 * Runs at breakdown time, never per span.
 */
export function oraclePartition(intervals: readonly Interval[], windowStart: number, windowEnd: number): CategoryTotals {
  const t = partitionInto(intervals, windowStart, windowEnd, sums);
  // A literal with named fields: stores keyed by a variable category name would be megamorphic.
  return {
    initialization: t[CODE.initialization],
    tool_execution: t[CODE.tool_execution],
    llm_processing: t[CODE.llm_processing],
    websocket_notification: t[CODE.websocket_notification],
    database_query: t[CODE.database_query],
    external_api: t[CODE.external_api],
    queue_wait: t[CODE.queue_wait],
    overhead: t[OVERHEAD],
    uncategorized: t[UNCATEGORIZED],
  };
}

/** partition() into `out` (milliseconds by BREAKDOWN_CATEGORIES index), allocating nothing; returns `out`. */
function partitionInto(intervals: readonly Interval[], windowStart: number, windowEnd: number, out: Float64Array): Float64Array {
  out.fill(0);
  const length = Math.max(0, windowEnd - windowStart);
  if (length === 0) return out;
  const from = disjointPrefix(intervals, windowStart, windowEnd, out);
  if (from < intervals.length) {
    // After a prefix, every interval left starts at or after the first of them.
    const first = from === 0 ? windowStart : intervals[from].start;
    sweep(intervals, from, first > windowStart ? first : windowStart, windowEnd, out);
  }
  // Summing many float segments drifts by ~1e-12; give the drift to overhead so the partition is
  // exact against the window length, which is what users check.
  let others = 0;
  for (let c = 0; c < out.length; c++) if (c !== OVERHEAD) others += out[c];
  const overhead = length - others;
  out[OVERHEAD] = overhead > 0 ? overhead : 0;
  return out;
}

/**
 * The sweep over intervals[from…] within [windowStart, windowEnd], adding each category's time to
 * `out` (its overhead entry is recomputed by the caller).
 */
function sweep(intervals: readonly Interval[], from: number, windowStart: number, windowEnd: number, out: Float64Array): void {
  const n = intervals.length - from;
  const { starts, ends, depths, cats, times, codes, order, active } = buffers(n);
  // Events: time, and a code = interval index × 2 + (0 closes, 1 opens). Closing sorts before
  // opening at the same instant, which keeps zero-width overlaps out of the active set.
  let m = 0;
  let inOrder = true; // sequential phases arrive in order: no sort at all
  for (let i = 0; i < n; i++) {
    const iv = intervals[from + i];
    const s = iv.start > windowStart ? iv.start : windowStart;
    const rawEnd = iv.end === iv.end ? iv.end : windowEnd;
    const e = rawEnd < windowEnd ? rawEnd : windowEnd;
    starts[i] = s;
    ends[i] = e;
    depths[i] = iv.depth;
    const c = resolveCategory(iv); // in recording order: a parent is resolved before its children
    cats[i] = categoryCode(c);
    if (e > s) {
      if (m > 0 && (times[m - 1] > s || (times[m - 1] === s && (codes[m - 1] & 1) === 1))) inOrder = false;
      times[m] = s;
      codes[m] = i * 2 + 1;
      order[m] = m++;
      times[m] = e;
      codes[m] = i * 2;
      order[m] = m++;
    }
  }
  if (!inOrder) sortEvents(order, times, codes, m);

  let cursor = windowStart;
  let winner = -1;
  let activeCount = 0;
  for (let k = 0; k < m; ) {
    const t = times[order[k]];
    if (t > cursor) {
      out[winner < 0 ? OVERHEAD : cats[winner]] += t - cursor;
      cursor = t;
    }
    // Apply every event at this instant before choosing the next winner.
    while (k < m) {
      const e = order[k];
      if (times[e] !== t) break;
      k++;
      const i = codes[e] >> 1;
      if (codes[e] & 1) active[activeCount++] = i;
      else {
        for (let a = activeCount - 1; a >= 0; a--) {
          if (active[a] === i) {
            active[a] = active[--activeCount];
            break;
          }
        }
      }
    }
    winner = -1;
    for (let a = 0; a < activeCount; a++) {
      const c = active[a];
      if (winner < 0 || beats(c, winner, depths, ends, starts)) winner = c;
    }
  }
  if (windowEnd > cursor) out[winner < 0 ? OVERHEAD : cats[winner]] += windowEnd - cursor;
}

/**
 * The common case without a sweep. Intervals are recorded in start order (both writers stamp them
 * with the monotonic clock when they start), and sequential phases do not overlap: while that
 * holds, each interval's clipped length is its category's. At the first interval that overlaps
 * the one before it, the rest — from that one before — goes to the sweep, over the window from its
 * start (every later interval starts after it, and every earlier one ended before it). Returns the
 * index the sweep starts at (the length when none is needed) with the prefix's time in `out`; 0,
 * with `out` cleared, when the intervals are not in start order.
 */
function disjointPrefix(intervals: readonly Interval[], windowStart: number, windowEnd: number, out: Float64Array): number {
  const n = intervals.length;
  let previousStart = -Infinity;
  let previousEnd = windowStart;
  let pending = -1; // the last interval with time, not yet added: a later one may overlap it
  let pendingCategory = 0;
  let pendingLength = 0;
  for (let i = 0; i < n; i++) {
    const iv = intervals[i];
    if (iv.start < previousStart) return unordered(out);
    previousStart = iv.start;
    const s = iv.start > windowStart ? iv.start : windowStart;
    const rawEnd = iv.end === iv.end ? iv.end : windowEnd;
    const e = rawEnd < windowEnd ? rawEnd : windowEnd;
    const c = categoryCode(resolveCategory(iv)); // in recording order: a parent is resolved before its children
    if (e <= s) continue;
    if (s < previousEnd) {
      // Overlap: the sweep takes over from the pending interval; the rest must still be in order.
      for (let k = i + 1; k < n; k++) {
        if (intervals[k].start < previousStart) return unordered(out);
        previousStart = intervals[k].start;
      }
      return pending;
    }
    if (pending >= 0) out[pendingCategory] += pendingLength;
    pending = i;
    pendingCategory = c;
    pendingLength = e - s;
    previousEnd = e;
  }
  if (pending >= 0) out[pendingCategory] += pendingLength;
  return n;
}

function unordered(out: Float64Array): number {
  out.fill(0);
  return 0;
}

/** CODE[c] as a switch: a lookup keyed by a variable name is megamorphic, several times slower. */
function categoryCode(c: PhaseCategory | undefined): number {
  switch (c) {
    case 'initialization':
      return CODE.initialization;
    case 'tool_execution':
      return CODE.tool_execution;
    case 'llm_processing':
      return CODE.llm_processing;
    case 'websocket_notification':
      return CODE.websocket_notification;
    case 'database_query':
      return CODE.database_query;
    case 'external_api':
      return CODE.external_api;
    case 'queue_wait':
      return CODE.queue_wait;
    default:
      return UNCATEGORIZED;
  }
}

/** Whether interval a wins an instant over interval b (both covering it); see partition(). */
function beats(a: number, b: number, depths: Int32Array, ends: Float64Array, starts: Float64Array): boolean {
  if (depths[a] !== depths[b]) return depths[a] > depths[b];
  if (ends[a] !== ends[b]) return ends[a] > ends[b];
  if (starts[a] !== starts[b]) return starts[a] < starts[b];
  return a < b;
}

/** Event a goes before event b: earlier time first; at the same time, closing before opening. */
function before(a: number, b: number, times: Float64Array, codes: Int32Array): boolean {
  return times[a] < times[b] || (times[a] === times[b] && (codes[a] & 1) < (codes[b] & 1));
}

/**
 * Sorts the event indices in order[0, m). Insertion sort first: events of sequential phases are
 * already in order and parallel ones nearly so, which makes it linear. If the events turn out far
 * from sorted (many concurrent spans), it stops and the rest is sorted with the built-in sort.
 */
function sortEvents(order: Int32Array, times: Float64Array, codes: Int32Array, m: number): void {
  let budget = 8 * m + 64;
  for (let k = 1; k < m; k++) {
    const x = order[k];
    let j = k - 1;
    if (!before(x, order[j], times, codes)) continue;
    while (j >= 0 && before(x, order[j], times, codes)) {
      order[j + 1] = order[j];
      j--;
      budget--;
    }
    order[j + 1] = x;
    if (budget < 0) {
      const rest = order.subarray(0, m);
      rest.sort((a, b) => times[a] - times[b] || (codes[a] & 1) - (codes[b] & 1));
      return;
    }
  }
}
