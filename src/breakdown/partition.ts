import { reportDrop } from '../internal/diag';
import { BREAKDOWN_CATEGORIES, type BreakdownCategory, type PhaseCategory } from './categories';
import { IntervalKind, type Interval } from './interval';
import { resolveCategory } from './resolve-categories';

/** Milliseconds per breakdown category over one execution window. */
export type CategoryTotals = Record<BreakdownCategory, number>;

/** Index of each category in BREAKDOWN_CATEGORIES: the sweep sums into a typed array by index,
 *  which is several times cheaper than keyed stores into an object. */
const CODE = Object.freeze(Object.fromEntries(BREAKDOWN_CATEGORIES.map((c, i) => [c, i])) as Record<BreakdownCategory, number>);
const OVERHEAD = CODE.overhead;
const UNCATEGORIZED = CODE.uncategorized;

/** Scratch buffers reused across calls (docs/architecture.md, speed invariant 5; partition is synchronous and never re-entered): small
 *  typed arrays are costly to allocate, and a breakdown is taken for every completed execution. */
function allocate(n: number) {
  return {
    starts: new Float64Array(n),
    ends: new Float64Array(n),
    levels: new Int32Array(n),
    cats: new Int32Array(n),
    /** Interval indices in start order. */
    byStart: new Int32Array(n),
    /** End times, sorted. */
    endTimes: new Float64Array(n),
    /** The covering intervals, a binary heap with the winner (see beats) on top. */
    heap: new Int32Array(n),
  };
}
let scratch = allocate(64);
const sums = new Float64Array(BREAKDOWN_CATEGORIES.length);

function buffers(n: number): typeof scratch {
  if (scratch.starts.length < n) scratch = allocate(Math.max(n, scratch.starts.length * 2));
  return scratch;
}

/** Comparisons between intervals made by sweeps so far (tests check the complexity with it). */
let comparisons = 0;

/** @internal The number of interval comparisons partition() has made in this process. */
export function partitionComparisons(): number {
  return comparisons;
}

/**
 * Partitions the window [windowStart, windowEnd] among intervals so that every instant counts for
 * exactly one category:
 * - transparent intervals (unclassified foreign spans, see isTransparent) take no part: they are
 *   removed, their children kept, and depth is counted in non-transparent intervals only (`level`);
 * - an instant no other interval covers is `overhead`;
 * - otherwise the instant belongs to the deepest covering interval (a child's time is the child's,
 *   never also its parent's); among equally deep ones (parallel siblings) to the one that ends last
 *   — the one the parent is actually waiting for — then the one that started first, then the one
 *   recorded first;
 * - the winner's category (see resolveCategory), or `uncategorized` when it has none (only our own
 *   phases and tasks can have none).
 * Open intervals (end NaN) run to `windowEnd`. The result sums to the window length.
 * Sequential phases take one pass (disjointPrefix); from the first overlap on, a sweep over
 * start/end events with the covering intervals in a heap: O(n log n) in the number of intervals
 * whatever they overlap, O(n) plus the heap when they arrive in order. Runs at breakdown time,
 * never per span.
 */
export function partition(intervals: readonly Interval[], windowStart: number, windowEnd: number): CategoryTotals {
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
 * `out` (its overhead entry is recomputed by the caller). Between two consecutive event times the
 * covering set does not change, and its winner is the top of a heap: each interval is pushed once
 * when it starts and popped once, lazily, when it is on top at or after its end. Starts come in
 * recording order (already sorted in practice) and end times are sorted natively, so the work is
 * O(n log n) however the intervals nest or overlap.
 */
function sweep(intervals: readonly Interval[], from: number, windowStart: number, windowEnd: number, out: Float64Array): void {
  const n = intervals.length - from;
  const { starts, ends, levels, cats, byStart, endTimes, heap } = buffers(n);
  let k = 0;
  let startsInOrder = true;
  let endsInOrder = true;
  for (let i = 0; i < n; i++) {
    const iv = intervals[from + i];
    const c = categoryCode(resolveCategory(iv)); // in recording order: a parent is resolved before its children
    // Transparent (isTransparent, inlined: the call measured 2× slower here): takes no part.
    if (iv.kind === IntervalKind.Foreign && iv.category === undefined) continue;
    const s = iv.start > windowStart ? iv.start : windowStart;
    const rawEnd = iv.end === iv.end ? iv.end : windowEnd;
    const e = rawEnd < windowEnd ? rawEnd : windowEnd;
    if (e <= s) continue;
    if (k > 0) {
      if (s < starts[k - 1]) startsInOrder = false;
      if (e < ends[k - 1]) endsInOrder = false;
    }
    starts[k] = s;
    ends[k] = e;
    levels[k] = iv.level;
    cats[k] = c;
    byStart[k] = k;
    k++;
  }
  if (k === 0) return;
  if (!startsInOrder) byStart.subarray(0, k).sort((a, b) => starts[a] - starts[b] || a - b);
  let endAt = ends;
  if (!endsInOrder) {
    endAt = endTimes;
    for (let i = 0; i < k; i++) endTimes[i] = ends[i];
    endTimes.subarray(0, k).sort(); // numeric, native
  }

  let cursor = windowStart;
  let winner = OVERHEAD; // the category of the instants after `cursor`
  let size = 0;
  let si = 0;
  // Every interval ends after it starts, so once the last end is passed the heap is empty.
  for (let ei = 0; ei < k; ) {
    const nextStart = si < k ? starts[byStart[si]] : Infinity;
    const nextEnd = endAt[ei];
    const t = nextStart < nextEnd ? nextStart : nextEnd;
    if (t > cursor) {
      out[winner] += t - cursor;
      cursor = t;
    }
    // Apply every event at this instant before choosing the next winner.
    while (si < k && starts[byStart[si]] <= t) size = heapPush(heap, size, byStart[si++], levels, ends, starts);
    while (ei < k && endAt[ei] <= t) ei++;
    while (size > 0 && ends[heap[0]] <= t) size = heapPop(heap, size, levels, ends, starts);
    winner = size > 0 ? cats[heap[0]] : OVERHEAD;
  }
  if (windowEnd > cursor) out[winner] += windowEnd - cursor;
}

/**
 * The common case without a sweep. Intervals are recorded in start order (both writers stamp them
 * with the monotonic clock when they start), and sequential phases do not overlap: while that
 * holds, each interval's clipped length is its category's (transparent ones are skipped). At the first interval that overlaps
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
    const c = categoryCode(resolveCategory(iv)); // in recording order: a parent is resolved before its children
    // Transparent (isTransparent, inlined: the call measured 2× slower here): takes no part.
    if (iv.kind === IntervalKind.Foreign && iv.category === undefined) continue;
    if (iv.start < previousStart) return unordered(out);
    previousStart = iv.start;
    const s = iv.start > windowStart ? iv.start : windowStart;
    const rawEnd = iv.end === iv.end ? iv.end : windowEnd;
    const e = rawEnd < windowEnd ? rawEnd : windowEnd;
    if (e <= s) continue;
    if (s < previousEnd) {
      // Overlap: the sweep takes over from the pending interval; the rest must still be in order.
      for (let k = i + 1; k < n; k++) {
        const next = intervals[k];
        if (next.kind === IntervalKind.Foreign && next.category === undefined) continue;
        if (next.start < previousStart) return unordered(out);
        previousStart = next.start;
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

/** CODE[c] as a switch: a lookup keyed by a variable name is megamorphic, several times slower
 *  (docs/architecture.md, speed invariant 2). */
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
    case undefined:
      return UNCATEGORIZED;
    default:
      // A category added to categories.ts without a case here no longer type-checks (`c` is not
      // `never`); at run time an unknown one is counted rather than silently misfiled.
      return unknownCategory(c);
  }
}

function unknownCategory(c: never): number {
  reportDrop('unknown-category', `the partition has no code for category ${String(c)}; its time counts as uncategorized`);
  return UNCATEGORIZED;
}

/** Whether interval a wins an instant over interval b (both covering it); see partition(). */
function beats(a: number, b: number, levels: Int32Array, ends: Float64Array, starts: Float64Array): boolean {
  comparisons++;
  if (levels[a] !== levels[b]) return levels[a] > levels[b];
  if (ends[a] !== ends[b]) return ends[a] > ends[b];
  if (starts[a] !== starts[b]) return starts[a] < starts[b];
  return a < b;
}

/** Adds interval x to the heap of `size` entries; returns the new size. */
function heapPush(heap: Int32Array, size: number, x: number, levels: Int32Array, ends: Float64Array, starts: Float64Array): number {
  let at = size;
  while (at > 0) {
    const up = (at - 1) >> 1;
    if (!beats(x, heap[up], levels, ends, starts)) break;
    heap[at] = heap[up];
    at = up;
  }
  heap[at] = x;
  return size + 1;
}

/** Removes the heap's top; returns the new size. */
function heapPop(heap: Int32Array, size: number, levels: Int32Array, ends: Float64Array, starts: Float64Array): number {
  const last = heap[--size];
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && beats(heap[child + 1], heap[child], levels, ends, starts)) child++;
    if (!beats(heap[child], last, levels, ends, starts)) break;
    heap[at] = heap[child];
    at = child;
  }
  heap[at] = last;
  return size;
}
