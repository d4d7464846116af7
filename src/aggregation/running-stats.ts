/**
 * Exact, mergeable summary statistics of a set of values: count, sum, min, max, mean and the sum
 * of squared deviations (M2), from which the variance follows.
 *
 * Values are added with Welford's update and sets are merged with Chan et al.'s parallel formula,
 * both numerically stable: a naive Σx² − (Σx)²/n loses every significant digit when the mean is
 * large against the spread (latencies of 10 000 ± 1 ms), and these do not.
 */
export class RunningStats {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  /** Sum of squared deviations from the mean. */
  m2 = 0;

  add(x: number): void {
    const n = ++this.count;
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    const delta = x - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (x - this.mean);
  }

  /** Adds another set's statistics to this one (Chan's pairwise update). */
  merge(o: RunningStats): void {
    if (o.count === 0) return;
    if (this.count === 0) {
      this.copyFrom(o);
      return;
    }
    const n = this.count + o.count;
    const delta = o.mean - this.mean;
    this.mean += (delta * o.count) / n;
    this.m2 += o.m2 + (delta * delta * this.count * o.count) / n;
    this.count = n;
    this.sum += o.sum;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  copyFrom(o: RunningStats): void {
    this.count = o.count;
    this.sum = o.sum;
    this.min = o.min;
    this.max = o.max;
    this.mean = o.mean;
    this.m2 = o.m2;
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.mean = 0;
    this.m2 = 0;
  }

  /** Population standard deviation (divides by n; 0 for fewer than two values). */
  get stdDev(): number {
    if (this.count < 2) return 0;
    const v = this.m2 / this.count;
    return v > 0 ? Math.sqrt(v) : 0;
  }
}
