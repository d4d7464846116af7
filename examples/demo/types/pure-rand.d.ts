// pure-rand 8 publishes its entry points only through package.json "exports", which this
// repository's `moduleResolution: node10` does not read. These declarations cover what the demo uses.
declare module 'pure-rand/generator/xoroshiro128plus' {
  interface JumpableRandomGenerator {
    clone(): JumpableRandomGenerator;
    next(): number;
    jump(): void;
    getState(): readonly number[];
  }
  export function xoroshiro128plus(seed: number): JumpableRandomGenerator;
}

declare module 'pure-rand/distribution/uniformFloat64' {
  export function uniformFloat64(rng: { next(): number }): number;
}
