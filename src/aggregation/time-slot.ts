import { QuantileSketch, type SketchSettings } from './quantile-sketch';
import { RunningStats } from './running-stats';

/** One time slot of one metric type: exact statistics plus a quantile sketch of its values. */
export class TimeSlot {
  /** Absolute slot number at its level (floor(timestamp / width)); -1 while the slot is free. */
  index = -1;
  readonly stats = new RunningStats();
  /** Created with the first value, so empty slots cost no sketch. */
  sketch: QuantileSketch | undefined;
  /** True once compacted; cleared by the next write. */
  compacted = false;

  add(value: number, settings: SketchSettings): void {
    this.stats.add(value);
    (this.sketch ??= new QuantileSketch(settings)).add(value);
    this.compacted = false;
  }

  /** Adds everything another slot holds (used when slots move to a coarser level). */
  absorb(other: TimeSlot, settings: SketchSettings): void {
    if (other.stats.count === 0) return;
    this.stats.merge(other.stats);
    if (other.sketch) (this.sketch ??= new QuantileSketch(settings)).merge(other.sketch);
    this.compacted = false;
  }

  compact(): void {
    if (this.compacted) return;
    this.sketch?.compact();
    this.compacted = true;
  }

  /** Frees the slot; returns how many observations it held. */
  clear(): number {
    const n = this.stats.count;
    this.index = -1;
    this.stats.reset();
    this.sketch = undefined;
    this.compacted = false;
    return n;
  }
}
