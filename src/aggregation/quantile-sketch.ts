import { DDSketch, LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

/** The library's key mapping type (not exported from its root). */
type KeyMapping = DDSketch['mapping'];

/** Configuration shared by every sketch of one aggregator (sketches only merge with equal ones). */
export interface SketchSettings {
  /** Relative accuracy α of quantiles: a returned value is within ±α of the true one. */
  relativeAccuracy: number;
  /** Most bins one sketch keeps; beyond it the lowest bins collapse into one. */
  maxBins: number;
}

/**
 * A DDSketch (from `@datadog/sketches-js`) with the reads the aggregator needs.
 *
 * - Quantiles use the nearest-rank definition (the value at rank ⌈p·n/100⌉ of the sorted values),
 *   so they compare one-to-one with exact percentiles; the library's own getValueAtQuantile uses
 *   rank p·(n − 1), which can be one value lower.
 * - Zeros are real observations (a category an execution never entered takes 0 ms). DDSketch's
 *   logarithmic store cannot hold 0, and the library keeps them in `zeroCount`; every read here
 *   counts them as the lowest values.
 * - The store collapses its lowest bins past `maxBins`, so memory per sketch is bounded whatever
 *   the values (with α = 1 % and 1024 bins, a value range of 8·10⁸ fits before anything collapses).
 */
export class QuantileSketch {
  private readonly dd: LogCollapsingLowestDenseDDSketch;

  constructor(settings: SketchSettings) {
    this.dd = new LogCollapsingLowestDenseDDSketch({
      relativeAccuracy: settings.relativeAccuracy,
      binLimit: settings.maxBins,
    });
    // Every sketch of an aggregator maps values to bins identically, so they share one immutable
    // mapping object instead of carrying a copy each (slots hold hundreds of sketches).
    this.dd.mapping = sharedMapping(settings.relativeAccuracy);
  }

  /** Adds one value ≥ 0. */
  add(value: number): void {
    this.dd.accept(value);
  }

  /** Adds every value of `other` (which must share this sketch's settings). */
  merge(other: QuantileSketch): void {
    this.dd.merge(other.dd);
  }

  get count(): number {
    return this.dd.count;
  }

  get zeroCount(): number {
    return this.dd.zeroCount;
  }

  /** Bins currently allocated (memory is about 8 bytes per bin). */
  get binCount(): number {
    return this.dd.store.bins.length;
  }

  /**
   * The nearest-rank percentile `p` (0 < p ≤ 100), clamped to the exact [min, max] of the values
   * (which makes p0-ish and p100 exact). NaN when empty.
   */
  percentile(p: number, min: number, max: number): number {
    const n = this.dd.count;
    if (n === 0) return NaN;
    const v = this.valueAtRank(nearestRank(p, n));
    return v < min ? min : v > max ? max : v;
  }

  /** Estimate of the value at 1-based rank `rank` of the sorted values. */
  valueAtRank(rank: number): number {
    const dd = this.dd;
    if (rank <= dd.zeroCount) return 0;
    const key = dd.store.keyAtRank(rank - 1 - dd.zeroCount, true);
    return dd.mapping.value(key);
  }

  /**
   * How many values are ≤ `threshold`. Exact for bins wholly below or above it; the one bin that
   * straddles the threshold (values within ±α of it) is split in proportion to where the
   * threshold falls inside it on the logarithmic scale.
   */
  countAtOrBelow(threshold: number): number {
    const dd = this.dd;
    if (dd.count === 0 || threshold < 0) return 0;
    if (!(threshold > dd.mapping.minPossible)) return dd.zeroCount;
    const store = dd.store;
    const tKey = dd.mapping.key(threshold);
    let below = dd.zeroCount;
    const bins = store.bins;
    for (let i = 0; i < bins.length; i++) {
      const key = i + store.offset;
      if (key < tKey) below += bins[i];
      else if (key === tKey) below += bins[i] * straddleFraction(threshold, key, dd.mapping.gamma);
      else break;
    }
    return below;
  }

  /**
   * Count and estimated sum of the values in the bins at or above `threshold`'s bin, i.e. the
   * values ≥ threshold to within ±α. The sum takes each bin's count × its representative value,
   * so it carries the same ±α relative error. `strictCount` counts only the bins wholly above the
   * threshold (values certainly greater than it).
   */
  tailAtOrAbove(threshold: number): { count: number; strictCount: number; sum: number } {
    const dd = this.dd;
    const store = dd.store;
    const bins = store.bins;
    const zeroIncluded = !(threshold > dd.mapping.minPossible);
    const tKey = zeroIncluded ? -Infinity : dd.mapping.key(threshold);
    let count = zeroIncluded ? dd.zeroCount : 0;
    let strictCount = 0;
    let sum = 0;
    for (let i = 0; i < bins.length; i++) {
      const c = bins[i];
      if (c === 0) continue;
      const key = i + store.offset;
      if (key < tKey) continue;
      count += c;
      if (key > tKey) strictCount += c;
      sum += c * dd.mapping.value(key);
    }
    if (zeroIncluded) strictCount = count - dd.zeroCount;
    return { count, strictCount, sum };
  }

  /**
   * Releases spare capacity once a slot stops taking on-time writes: the library grows its bin
   * array in chunks of 128 and keeps it centred, so a settled sketch carries unused bins. The
   * trimmed store stays a valid DenseStore (it regrows if a late value needs it).
   */
  compact(): void {
    for (const store of [this.dd.store, this.dd.negativeStore]) {
      if (store.count === 0) {
        if (store.bins.length > 0) {
          store.bins = [];
          store.minKey = Infinity;
          store.maxKey = -Infinity;
          store.offset = 0;
        }
        continue;
      }
      const from = store.minKey - store.offset;
      const to = store.maxKey - store.offset + 1;
      if (from === 0 && to === store.bins.length) continue;
      store.bins = store.bins.slice(from, to);
      store.offset = store.minKey;
    }
  }

  /** A standalone copy as a plain library DDSketch (e.g. to merge with sketches from elsewhere). */
  toDDSketch(): LibraryDDSketch {
    const out = new DDSketch({ relativeAccuracy: this.dd.mapping.relativeAccuracy });
    out.merge(this.dd as unknown as DDSketch);
    return out;
  }
}

/**
 * The library's `DDSketch` (from `@datadog/sketches-js`), typed by the members a caller uses. Our
 * declarations name this instead of the library's class: its own .d.ts files do not type-check
 * (they import names its compiled protobuf module does not declare), which broke consumers
 * compiling with `skipLibCheck: false`. The object returned is a real `DDSketch`.
 */
export interface LibraryDDSketch {
  readonly count: number;
  readonly zeroCount: number;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  accept(value: number, weight?: number): void;
  getValueAtQuantile(quantile: number): number;
  merge(sketch: LibraryDDSketch): void;
  toProto(): Uint8Array;
}

/** 1-based nearest rank of percentile p among n values: ⌈p·n/100⌉, clamped to [1, n]. */
export function nearestRank(p: number, n: number): number {
  const x = (p * n) / 100;
  // p·n/100 is exact for integer p and n; the tiny slack absorbs binary noise for fractional p
  // (99.9 · 1000 / 100 = 999.0000000000001 must give rank 999, not 1000).
  const r = Math.ceil(x - x * 1e-12);
  return r < 1 ? 1 : r > n ? n : r;
}

/** Share of bin `key` — (γ^(key−1), γ^key] — that lies at or below `threshold`, on a log scale. */
function straddleFraction(threshold: number, key: number, gamma: number): number {
  const f = Math.log(threshold) / Math.log(gamma) - (key - 1);
  return f <= 0 ? 0 : f >= 1 ? 1 : f;
}

/** Key mappings shared by sketches of the same accuracy. Bounded: a program that makes aggregators
 *  with many distinct accuracies gets an unshared mapping past MAX_SHARED_MAPPINGS (same results). */
const mappings = new Map<number, KeyMapping>();
const MAX_SHARED_MAPPINGS = 16;

function sharedMapping(relativeAccuracy: number): KeyMapping {
  let m = mappings.get(relativeAccuracy);
  if (!m) {
    m = new LogCollapsingLowestDenseDDSketch({ relativeAccuracy }).mapping;
    if (mappings.size < MAX_SHARED_MAPPINGS) mappings.set(relativeAccuracy, m);
  }
  return m;
}

/** How many key mappings are shared (for the bound's test). @internal */
export function sharedMappingCount(): number {
  return mappings.size;
}
