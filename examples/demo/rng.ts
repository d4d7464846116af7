import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** FNV-1a: turns a label into 32 bits, so each named stream of one seed is independent. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A seeded random source (pure-rand's xoroshiro128+) with the distributions the workload needs.
 * Same seed, same workload: the demo's timings vary from run to run only by what the machine does.
 */
export class Rng {
  private readonly gen: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number, stream = 'main') {
    this.gen = xoroshiro128plus((seed ^ hash32(stream)) | 0);
    for (let i = 0; i < 8; i++) this.gen.next(); // small seeds start with low-entropy output
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.uniform() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.uniform() * items.length)];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]: log(0) is -Infinity
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Log-normal with the given median and shape σ: how service latencies are usually distributed. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean: gaps between independent arrivals. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }
}
