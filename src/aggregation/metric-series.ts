import { QuantileSketch, type SketchSettings } from './quantile-sketch';
import { RunningStats } from './running-stats';
import type { SlotClock } from './slot-clock';
import { FINE_SLOT_MS, FINE_SLOTS_KEPT, LEVEL_WIDTH_MS, MEDIUM_SLOTS_KEPT } from './slot-layout';
import { SlotRing } from './slot-ring';
import type { TimeSlot } from './time-slot';

/** Statistics and sketch of the values in a time range. */
export interface MergedRange {
  stats: RunningStats;
  /** Undefined when the range holds no values. */
  sketch: QuantileSketch | undefined;
}

/** A level's merged closed slots over one index range, valid while the level's version holds. */
interface CachedPart extends MergedRange {
  version: number;
}

// Module-local copies: hot paths read these per call, and a re-exported binding can cost a getter
// call per read under some loaders (tsx/esbuild CommonJS interop).
const FINE_MS = FINE_SLOT_MS;
const WIDTH: readonly number[] = [...LEVEL_WIDTH_MS];

/** The merge of nothing (shared; never mutated). */
const EMPTY: MergedRange = Object.freeze({ stats: new RunningStats(), sketch: undefined });

/** Most cached ranges per level (the standard windows need at most 4 at the fine level). */
const MAX_CACHED_PER_LEVEL = 4;

/**
 * Every observation of one metric type, in the three slot rings of slot-layout.ts.
 *
 * Reads merge the slots a range covers. Per level, the merge of its closed slots (all but the
 * current and future fine slots) is cached per slot-index range and reused until that level
 * changes: a WEEK query merges ~100 slots once, then only three cached parts and the current slot;
 * a late value invalidates only its own level, and a rotation only the levels it touched.
 */
export class MetricSeries {
  private readonly rings: readonly [SlotRing, SlotRing, SlotRing];
  /** Per level, bumped whenever one of its closed slots changes; invalidates that level's cache. */
  private readonly versions = [0, 0, 0];
  /** Observations freed because they fell out of retention, not yet collected by takeExpired(). */
  private expired = 0;
  private readonly caches: readonly Map<string, CachedPart>[] = [new Map(), new Map(), new Map()];
  /** The fine slot written last (a hint; checked against its index before use). */
  private lastFine: TimeSlot | undefined;

  constructor(
    private readonly settings: SketchSettings,
    futureFineSlots: number,
    retentionSlots: number,
  ) {
    this.rings = [
      new SlotRing(FINE_SLOTS_KEPT + futureFineSlots),
      new SlotRing(MEDIUM_SLOTS_KEPT + 1),
      new SlotRing(retentionSlots + 1),
    ];
  }

  /** Records one value with timestamp `t`, which the caller has checked is retained and not too far ahead. */
  add(value: number, t: number, clock: SlotClock): void {
    const fine = Math.floor(t / FINE_MS);
    if (fine >= clock.fineHorizon) {
      // Most writes go to the slot the previous one went to: skip the ring lookup for them.
      let slot = this.lastFine;
      if (slot === undefined || slot.index !== fine) slot = this.lastFine = this.claim(0, fine, clock);
      slot.add(value, this.settings);
      if (fine < clock.cur0) this.versions[0]++;
      return;
    }
    const level = clock.levelOf(t);
    this.claim(level, Math.floor(t / WIDTH[level]), clock).add(value, this.settings);
    this.versions[level]++;
  }

  /**
   * Brings the rings in line with the clock: slots older than their level's span move down a
   * level (merged into the coarser slot that contains them), slots before retention are freed,
   * and fine slots that closed are compacted. Expired observations are counted for takeExpired().
   */
  rotate(clock: SlotClock): void {
    const horizons = [clock.fineHorizon, clock.mediumHorizon, -Infinity];
    for (let level = 2; level >= 0; level--) {
      for (const slot of this.rings[level].slots) {
        if (slot.index < 0) continue;
        if (slot.index * WIDTH[level] < clock.retentionStartMs) {
          this.expired += slot.clear();
          this.versions[level]++;
        } else if (slot.index < horizons[level]) {
          this.moveDown(slot, level as 0 | 1, clock);
        } else if (level > 0 || slot.index < clock.cur0) {
          slot.compact();
        }
      }
    }
    this.versions[0]++; // the current fine slot moved: the open/closed split changed
  }

  /** Observations expired since the last call (by rotation or by a write reclaiming a slot). */
  takeExpired(): number {
    const n = this.expired;
    this.expired = 0;
    return n;
  }

  /** Merged statistics and sketch of the slots starting in [fromMs, toMs). */
  query(fromMs: number, toMs: number, clock: SlotClock): MergedRange {
    const closed = this.closedPart(fromMs, toMs, clock);
    const stats = new RunningStats();
    stats.copyFrom(closed.stats);
    let sketch: QuantileSketch | undefined;
    if (closed.sketch) (sketch = new QuantileSketch(this.settings)).merge(closed.sketch);
    for (const slot of this.rings[0].slots) {
      if (slot.index < clock.cur0 || slot.stats.count === 0) continue;
      const start = slot.index * FINE_MS;
      if (start < fromMs || start >= toMs) continue;
      stats.merge(slot.stats);
      if (slot.sketch) (sketch ??= new QuantileSketch(this.settings)).merge(slot.sketch);
    }
    return { stats, sketch };
  }

  /** Number of observations in slots starting at or after `fromMs` (no sketch work). */
  countSince(fromMs: number): number {
    let n = 0;
    for (let level = 0; level < 3; level++) {
      for (const slot of this.rings[level].slots) {
        if (slot.index >= 0 && slot.index * WIDTH[level] >= fromMs) n += slot.stats.count;
      }
    }
    return n;
  }

  /** Frees every slot; returns how many observations they held. */
  clear(): number {
    let n = 0;
    for (const ring of this.rings) for (const slot of ring.slots) if (slot.index >= 0) n += slot.clear();
    for (let level = 0; level < 3; level++) {
      this.caches[level].clear();
      this.versions[level]++;
    }
    return n;
  }

  /** Sketch bins allocated (slots and cache): the part of memory that depends on the data. */
  binCount(): number {
    let n = 0;
    for (const ring of this.rings) for (const slot of ring.slots) n += slot.sketch?.binCount ?? 0;
    for (const cache of this.caches) for (const c of cache.values()) n += c.sketch?.binCount ?? 0;
    return n;
  }

  /** Slots currently holding data, per level (for tests and memory reports). */
  liveSlots(): [number, number, number] {
    const count = (r: SlotRing) => r.slots.reduce((n, s) => n + (s.index >= 0 ? 1 : 0), 0);
    return [count(this.rings[0]), count(this.rings[1]), count(this.rings[2])];
  }

  /** The closed slots of [fromMs, toMs), from each level's cached part. */
  private closedPart(fromMs: number, toMs: number, clock: SlotClock): MergedRange {
    const stats = new RunningStats();
    let sketch: QuantileSketch | undefined;
    for (let level = 0; level < 3; level++) {
      const part = this.levelPart(level as 0 | 1 | 2, fromMs, toMs, clock);
      if (part.stats.count === 0) continue;
      stats.merge(part.stats);
      if (part.sketch) (sketch ??= new QuantileSketch(this.settings)).merge(part.sketch);
    }
    return { stats, sketch };
  }

  /**
   * One level's closed slots starting in [fromMs, toMs), cached by slot-index range. The range is
   * clipped to the slots the level can hold, so windows that cover a whole level (HOUR, DAY and
   * WEEK all cover the fine level) share one entry.
   */
  private levelPart(level: 0 | 1 | 2, fromMs: number, toMs: number, clock: SlotClock): MergedRange {
    const width = WIDTH[level];
    const floor = level === 0 ? clock.fineHorizon : level === 1 ? clock.mediumHorizon : Math.ceil(clock.retentionStartMs / width);
    const lo = Math.max(Math.ceil(fromMs / width), floor);
    let hi = toMs === Infinity ? Infinity : Math.ceil(toMs / width);
    if (level === 0 && hi > clock.cur0) hi = clock.cur0;
    if (lo >= hi) return EMPTY;
    const key = `${lo}:${hi}`;
    const cache = this.caches[level];
    const hit = cache.get(key);
    if (hit && hit.version === this.versions[level]) return hit;
    const stats = new RunningStats();
    let sketch: QuantileSketch | undefined;
    for (const slot of this.rings[level].slots) {
      if (slot.index < lo || slot.index >= hi || slot.stats.count === 0) continue;
      stats.merge(slot.stats);
      if (slot.sketch) (sketch ??= new QuantileSketch(this.settings)).merge(slot.sketch);
    }
    sketch?.compact();
    if (hit === undefined && cache.size >= MAX_CACHED_PER_LEVEL) cache.clear();
    const entry: CachedPart = { version: this.versions[level], stats, sketch };
    cache.set(key, entry);
    return entry;
  }

  /** The slot for `index` at `level`, moving out an older occupant of its ring position first. */
  private claim(level: 0 | 1 | 2, index: number, clock: SlotClock): TimeSlot {
    const slot = this.rings[level].slotFor(index);
    if (slot.index !== index) {
      // Rotation normally frees positions before they are reused; this only runs if the clock
      // jumped between a rotation and this write, and keeps the occupant's data all the same.
      if (level < 2 && slot.index < index) this.moveDown(slot, level as 0 | 1, clock);
      else this.expired += slot.clear();
      this.versions[level]++;
      slot.index = index;
    }
    return slot;
  }

  /** Merges a slot into the coarser slot that contains it (or drops it past retention), then frees it. */
  private moveDown(slot: TimeSlot, level: 0 | 1, clock: SlotClock): void {
    const start = slot.index * WIDTH[level];
    if (start >= clock.retentionStartMs) {
      let target = clock.levelOf(start);
      if (target <= level) target = (level + 1) as 1 | 2;
      const dest = this.claim(target, Math.floor(start / WIDTH[target]), clock);
      dest.absorb(slot, this.settings);
      slot.clear();
      this.versions[target]++;
    } else {
      this.expired += slot.clear();
    }
    this.versions[level]++;
  }
}
